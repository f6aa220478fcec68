package io.sohbet.metrics.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sohbet.metrics.service.Counts;
import io.sohbet.metrics.service.VariantTest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What the metrics API answers. Rates are percentages with two decimals, null when their denominator is zero. */
public final class MetricsViews {

    private MetricsViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String dimension, long sent, long delivered, long read, long opened, long failed, long recipients, long readers,
            long clicked, long converted, long optedOut, long replied, long engaged, Double deliveryRate, Double openRate,
            Double clickThroughRate, Double conversionRate, Double optOutRate, Double engagementRate, Cost cost) {

        static Group of(Counts c) {
            return new Group(c.dimension(), c.sent(), c.delivered(), c.read(), c.opened(), c.failed(), c.recipients(), c.readers(),
                    c.clickers(), c.converters(), c.optedOut(), c.repliers(), c.engaged(), c.deliveryRate(), c.openRate(),
                    c.clickThroughRate(), c.conversionRate(), c.optOutRate(), c.engagementRate(), Cost.of(c));
        }
    }

    /**
     * What a group cost and returned (README "Cost and return"): {@code charged}, {@code free} and {@code unpriced}
     * delivered messages, {@code tiered}: charged ones priced at a volume tier's rate instead of the base rate; {@code amount} in the rate card's {@code currency}; per delivered, read (opened), unique clicker
     * and unique converter (four decimals); attributed {@code revenue} in {@code revenueCurrency} (TRY) and
     * {@code returnOnSpend} = revenue / amount (two decimals; only when the card is in TRY). Per-unit figures and the
     * return are null without a denominator.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cost(String currency, long charged, long free, long unpriced, long tiered, BigDecimal amount, BigDecimal perDelivered,
            BigDecimal perRead, BigDecimal perClick, BigDecimal perConversion, String revenueCurrency, BigDecimal revenue,
            BigDecimal returnOnSpend) {

        static Cost of(Counts c) {
            Counts.Spend s = c.spend();
            return new Cost(s.currency(), s.charged(), s.free(), s.unpriced(), s.tiered(), s.cost(), c.costPerDelivered(), c.costPerRead(),
                    c.costPerClick(), c.costPerConversion(), Counts.Spend.REVENUE_CURRENCY, s.revenue(), c.returnOnSpend());
        }
    }

    public record Range(Instant from, Instant to) {
    }

    public record Summary(String by, Range range, List<Group> groups) {
    }

    /** Failed messages of one Cloud API error code; kind = ecosystem-limit (131049), rate-limit or other. */
    public record Failure(Integer code, String kind, long messages) {
    }

    public record Failures(long total, long ecosystemLimited, long rateLimited, List<Failure> byCode) {
    }

    public record AbTest(String metric, List<VariantTest.Arm> variants, Double pValue, boolean significant,
            boolean enoughSample, int minimumSamplePerVariant, String winner) {
    }

    public record Campaign(String campaignId, Range range, Group overall, List<Group> variants, List<Group> messageTypes,
            List<Group> sendWindows, List<Group> categories, AbTest abTest, Failures failures) {
    }

    public record Window(String window, long reads) {
    }

    public record ReadTimes(String timeZone, Range range, long[] hourly, List<Window> threeHourWindows, List<Group> sendWindows) {
    }

    public record SubjectReadHours(String subjectId, String timeZone, long totalReads, long[] hourly, List<Integer> bestHours) {
    }

    /** CSAT = answers scored 4 or 5 / all answers × 100. */
    public record Csat(String campaignId, Range range, long responses, long positive, Double score, long[] byScore) {
    }

    /** Times as ISO-8601 durations; the business-hours variants count only working time. */
    public record Times(java.time.Duration mean, java.time.Duration median, java.time.Duration meanInBusinessHours,
            java.time.Duration medianInBusinessHours, int samples) {
    }

    public record ConversationMetrics(Range range, int conversations, int open, Times responseTime, Times firstResponseTime,
            Times resolutionTime) {
    }
}
