package io.sohbet.segment.service;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A profile's attributes, as rules see them. Counts are over rolling windows ending when the profile was computed;
 * money is in TRY (orders in other currencies count as orders but not as revenue). {@code tryOrders30d} and
 * {@code tryOrdersTotal} are the orders in TRY with a total: what the average basket divides by.
 */
public record ProfileFacts(String subjectId, Instant firstSeenAt, Instant lastSeenAt, Instant lastActivityAt,
        int interactions7d, int interactions30d, int interactions90d, int interactionsTotal, int visual90d, int text90d,
        int quick90d, int orders30d, int ordersTotal, int tryOrders30d, int tryOrdersTotal, BigDecimal revenue30d, BigDecimal revenueTotal, Instant lastOrderAt,
        String topCategory, Integer rfmRecency, Integer rfmFrequency, Integer rfmMonetary,
        // demographics: evaluated by segment rules, never shown by an API (only the person's own access export has them)
        @com.fasterxml.jackson.annotation.JsonIgnore String gender,
        @com.fasterxml.jackson.annotation.JsonIgnore Integer birthYear,
        @com.fasterxml.jackson.annotation.JsonIgnore String city) {

    /** Age in years this year, or null without a birth year. */
    public Integer age() {
        return birthYear == null ? null : java.time.Year.now(java.time.ZoneOffset.UTC).getValue() - birthYear;
    }

    /** 18-24, 25-34, 35-44, 45-54, 55-64, 65+ (under 18: "under-18"), or null. */
    public String ageBand() {
        Integer age = age();
        if (age == null) {
            return null;
        }
        if (age < 18) {
            return "under-18";
        }
        if (age >= 65) {
            return "65+";
        }
        int[][] bands = {{18, 24}, {25, 34}, {35, 44}, {45, 54}, {55, 64}};
        for (int[] b : bands) {
            if (age >= b[0] && age <= b[1]) {
                return b[0] + "-" + b[1];
            }
        }
        return null;
    }

    /** Average basket (TRY): TRY revenue over the orders in TRY with a total; zero without such orders. */
    public BigDecimal averageBasket() {
        return tryOrdersTotal == 0 ? BigDecimal.ZERO
                : revenueTotal.divide(BigDecimal.valueOf(tryOrdersTotal), 2, java.math.RoundingMode.HALF_UP);
    }

    /** Average basket of the last 30 days (TRY), likewise over the TRY orders with a total of those days. */
    public BigDecimal averageBasket30d() {
        return tryOrders30d == 0 ? BigDecimal.ZERO : revenue30d.divide(BigDecimal.valueOf(tryOrders30d), 2, java.math.RoundingMode.HALF_UP);
    }

    /** The content kind this person engages with most (visual, text, quick), or null without engagement. */
    public String contentPreference() {
        int total = visual90d + text90d + quick90d;
        if (total == 0) {
            return null;
        }
        if (visual90d >= text90d && visual90d >= quick90d) {
            return "visual";
        }
        return text90d >= quick90d ? "text" : "quick";
    }

    /** Share (0–100) of engagement with the given content kind over 90 days. */
    public double share(String content) {
        int total = visual90d + text90d + quick90d;
        if (total == 0) {
            return 0;
        }
        int part = switch (content) {
            case "visual" -> visual90d;
            case "text" -> text90d;
            default -> quick90d;
        };
        return 100.0 * part / total;
    }

    /** R+F+M, 3–15; null until the first scoring run. */
    public Integer rfmScore() {
        return rfmRecency == null || rfmFrequency == null || rfmMonetary == null ? null : rfmRecency + rfmFrequency + rfmMonetary;
    }
}
