package io.sohbet.metrics.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Percentages as domain.md §2 defines them: numerator / denominator × 100, two decimals; none without a denominator. */
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
}
