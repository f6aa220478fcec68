package io.sohbet.metrics.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Percentages as domain.md §2 defines them: numerator / denominator × 100, two decimals; none without a denominator.
 * Money per unit has four decimals, ratios of money two; both round half up.
 */
public final class Rates {

    private Rates() {
    }

    /** {@code null} when the denominator is zero: a rate of nothing is not 0 %. */
    public static Double percent(long numerator, long denominator) {
        if (denominator <= 0) {
            return null;
        }
        return BigDecimal.valueOf(numerator).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP).doubleValue();
    }

    /** An amount per unit, four decimals; {@code null} without units. */
    public static BigDecimal per(BigDecimal amount, long units) {
        return units <= 0 || amount == null ? null : amount.divide(BigDecimal.valueOf(units), 4, RoundingMode.HALF_UP);
    }

    /** {@code numerator / denominator}, two decimals; {@code null} when the denominator is zero. */
    public static BigDecimal ratio(BigDecimal numerator, BigDecimal denominator) {
        return denominator == null || numerator == null || denominator.signum() == 0 ? null
                : numerator.divide(denominator, 2, RoundingMode.HALF_UP);
    }
}
