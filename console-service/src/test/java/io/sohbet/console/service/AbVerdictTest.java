package io.sohbet.console.service;

import io.sohbet.console.client.MetricsViews;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AbVerdictTest {

    @ParameterizedTest(name = "{0} variants, p={1}, significant={2}, enough={3} -> {4}")
    @CsvSource(nullValues = "null", value = {
            "2, 0.01, true, true, significant",
            "2, 0.01, true, false, promising",
            "2, 0.40, false, true, not-significant",
            "2, 0.40, false, false, inconclusive",
            "2, null, false, true, inconclusive",
            "1, 0.01, true, true, inconclusive",
            "3, 0.001, true, true, significant"})
    void theVerdictIsReadOffMetricsServicesTest(int variants, BigDecimal p, boolean significant, boolean enough, String verdict) {
        List<MetricsViews.Arm> arms = java.util.stream.IntStream.range(0, variants)
                .mapToObj(i -> new MetricsViews.Arm("v" + i, 10, 120)).toList();

        AbVerdict ab = AbVerdict.of(new MetricsViews.AbTest("click-through", arms, p, significant, enough, 100, null));

        assertThat(ab.verdict()).isEqualTo(verdict);
    }

    @ParameterizedTest
    @CsvSource({"40, 60", "100, 0", "250, 0"})
    void eachVariantSaysHowManyMoreTrialsItNeeds(long trials, long needed) {
        AbVerdict ab = AbVerdict.of(new MetricsViews.AbTest("open", List.of(new MetricsViews.Arm("a", 1, trials),
                new MetricsViews.Arm("b", 1, 500)), new BigDecimal("0.5"), false, false, 100, null));

        assertThat(ab.stillNeeded().get(0).needed()).isEqualTo(needed);
        assertThat(ab.stillNeeded().get(1).needed()).isZero();
    }
}
