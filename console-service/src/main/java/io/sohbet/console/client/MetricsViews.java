package io.sohbet.console.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the console reads from metrics-service. Rates and money are {@link BigDecimal}s read from the JSON text, so a
 * page prints exactly what the API answered (one source for every figure; the console never re-aggregates).
 */
public final class MetricsViews {

    private MetricsViews() {
    }

    public record Cost(String currency, long charged, long free, long unpriced, BigDecimal amount, BigDecimal perDelivered,
            BigDecimal perRead, BigDecimal perClick, BigDecimal perConversion, String revenueCurrency, BigDecimal revenue,
            BigDecimal returnOnSpend) {
    }

    public record Group(String dimension, long sent, long delivered, long read, long opened, long failed, long recipients,
            long readers, long clicked, long converted, long optedOut, long replied, long engaged, BigDecimal deliveryRate,
            BigDecimal openRate, BigDecimal clickThroughRate, BigDecimal conversionRate, BigDecimal optOutRate,
            BigDecimal engagementRate, Cost cost) {
    }

    public record Range(Instant from, Instant to) {
    }

    public record Summary(String by, Range range, List<Group> groups) {
    }

    public record Failure(Integer code, String kind, long messages) {
    }

    public record Failures(long total, long ecosystemLimited, long rateLimited, List<Failure> byCode) {
    }

    public record Arm(String variant, long successes, long trials) {
    }

    public record AbTest(String metric, List<Arm> variants, BigDecimal pValue, boolean significant, boolean enoughSample,
            int minimumSamplePerVariant, String winner) {
    }

    public record Campaign(String campaignId, Range range, Group overall, List<Group> variants, AbTest abTest,
            Failures failures) {
    }

    public record ReadTimes(String timeZone, Range range, long[] hourly) {
    }

    public record Csat(String campaignId, Range range, long responses, long positive, BigDecimal score, long[] byScore) {
    }

    public record Keyword(String keyword, long replies) {
    }

    public record Feedback(long replies, long positive, long neutral, long negative, List<Keyword> topKeywords,
            List<Keyword> themes) {
    }
}
