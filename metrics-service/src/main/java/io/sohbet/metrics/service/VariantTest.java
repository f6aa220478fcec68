package io.sohbet.metrics.service;

import org.apache.commons.math3.stat.inference.ChiSquareTest;

import java.util.ArrayList;
import java.util.List;

/**
 * Significance of an A/B(/n) test on one rate (successes out of trials per variant): Pearson's chi-square test of
 * independence on the variants × {success, failure} table (Apache Commons Math). A winner is named only when every
 * variant has the minimum sample and p is under the significance level; it is the variant with the highest rate.
 */
public final class VariantTest {

    private VariantTest() {
    }

    public record Arm(String variant, long successes, long trials) {

        public Double rate() {
            return Rates.percent(successes, trials);
        }
    }

    /**
     * @param pValue    null when it cannot be computed (fewer than two variants, no variation at all, or an arm whose
     *                  successes are not between 0 and its trials: no table with a negative cell is ever tested)
     * @param winner    null unless significant with enough samples
     */
    public record Outcome(List<Arm> arms, Double pValue, boolean significant, boolean enoughSample, String winner) {
    }

    public static Outcome evaluate(List<Arm> arms, int minimumSample, double alpha) {
        List<Arm> usable = new ArrayList<>(arms.stream().filter(a -> a.trials() > 0).toList());
        boolean enough = arms.size() >= 2 && arms.stream().allMatch(a -> a.trials() >= minimumSample);
        Double p = null;
        long successes = usable.stream().mapToLong(Arm::successes).sum();
        long trials = usable.stream().mapToLong(Arm::trials).sum();
        boolean valid = arms.stream().allMatch(a -> a.successes() >= 0 && a.successes() <= a.trials());
        if (valid && usable.size() >= 2 && successes > 0 && successes < trials) {
            long[][] table = new long[usable.size()][2];
            for (int i = 0; i < usable.size(); i++) {
                table[i][0] = usable.get(i).successes();
                table[i][1] = usable.get(i).trials() - usable.get(i).successes();
            }
            p = new ChiSquareTest().chiSquareTest(table);
            p = p.isNaN() ? null : p;
        }
        boolean significant = p != null && p < alpha;
        String winner = null;
        if (significant && enough) {
            winner = usable.stream().max((a, b) -> Double.compare((double) a.successes() / a.trials(),
                    (double) b.successes() / b.trials())).map(Arm::variant).orElse(null);
        }
        return new Outcome(arms, p, significant, enough, winner);
    }
}
