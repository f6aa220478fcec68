package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;
import io.sohbet.console.client.MetricsViews;

import java.util.List;

/**
 * The A/B card's plain verdict, from metrics-service's test as it answered it (chi-square on the variants, α and the
 * minimum sample per variant are metrics-service's; the console computes no statistic):
 * <ul>
 * <li>{@code significant}: significant and every variant has the minimum sample (metrics-service names the winner);</li>
 * <li>{@code promising}: significant, but a variant is still short of the minimum sample;</li>
 * <li>{@code not-significant}: every variant has the minimum sample and the difference is not significant;</li>
 * <li>{@code inconclusive}: fewer than two variants, no p-value, or not significant on a sample still too small.</li>
 * </ul>
 * {@code stillNeeded} is, per variant, how many more trials it needs to reach the minimum sample (0 once it has).
 */
@TemplateData
public record AbVerdict(String verdict, MetricsViews.AbTest test, List<Short> stillNeeded) {

    @TemplateData
    public record Short(String variant, long successes, long trials, long needed) {
    }

    public static AbVerdict of(MetricsViews.AbTest test) {
        if (test == null) {
            return null;
        }
        List<MetricsViews.Arm> arms = test.variants() == null ? List.of() : test.variants();
        List<Short> needed = arms.stream().map(a -> new Short(a.variant(), a.successes(), a.trials(),
                Math.max(0, test.minimumSamplePerVariant() - a.trials()))).toList();
        String verdict;
        if (arms.size() < 2 || test.pValue() == null) {
            verdict = "inconclusive";
        } else if (test.significant()) {
            verdict = test.enoughSample() ? "significant" : "promising";
        } else {
            verdict = test.enoughSample() ? "not-significant" : "inconclusive";
        }
        return new AbVerdict(verdict, test, needed);
    }
}
