package io.sohbet.metrics.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FormulasTest {

    @Test
    void everyRateHasItsOwnDenominator() {
        Counts c = new Counts("all", 1000, 950, 280, 300, 50, 1000, 290, 12, 6, 4, 20, 30, Counts.Spend.none("TRY"));
        assertThat(c.deliveryRate()).isEqualTo(95.0);
        assertThat(c.openRate()).isEqualTo(31.58);
        assertThat(c.clickThroughRate()).isEqualTo(4.14);
        assertThat(c.conversionRate()).isEqualTo(2.07);
        assertThat(c.optOutRate()).isEqualTo(0.4);
        assertThat(c.engagementRate()).isEqualTo(10.34);
        assertThat(new Counts("none", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Counts.Spend.none("TRY")).openRate()).isNull();
    }

    @Test
    void costPerOutcomeAndReturnOnSpend() {
        // 950 delivered, 900 of them charged at 1.1600 TRY: 1044.000000 TRY; 3 orders of 420 TRY attributed
        Counts c = new Counts("all", 1000, 950, 280, 300, 50, 1000, 290, 12, 6, 4, 20, 30,
                new Counts.Spend("TRY", 900, 50, 0, 0, new BigDecimal("1044.000000"), new BigDecimal("1260.00")));
        assertThat(c.costPerDelivered()).isEqualByComparingTo("1.0989"); // 1044 / 950 = 1.098947…
        assertThat(c.costPerRead()).isEqualByComparingTo("3.4800"); // / 300 opened
        assertThat(c.costPerClick()).isEqualByComparingTo("87.0000"); // / 12 clickers
        assertThat(c.costPerConversion()).isEqualByComparingTo("174.0000"); // / 6 converters
        assertThat(c.returnOnSpend()).isEqualByComparingTo("1.21"); // 1260 / 1044 = 1.2068…
        // a card in another currency than revenue: no return on spend, the per-unit figures stay
        Counts usd = new Counts("all", 10, 10, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0,
                new Counts.Spend("USD", 10, 0, 0, 0, new BigDecimal("0.250000"), new BigDecimal("420.00")));
        assertThat(usd.returnOnSpend()).isNull();
        assertThat(usd.costPerDelivered()).isEqualByComparingTo("0.0250");
        assertThat(usd.costPerClick()).isNull();
        // nothing charged: no return (not infinity, not zero)
        assertThat(new Counts("free", 5, 5, 5, 5, 0, 5, 5, 1, 1, 0, 0, 1,
                new Counts.Spend("TRY", 0, 5, 0, 0, BigDecimal.ZERO, new BigDecimal("420.00"))).returnOnSpend()).isNull();
    }

    @Test
    void csatOfTheWorkedExampleIs75() {
        // domain.md: 800 responses, 600 of them 4 or 5 → 75 %
        assertThat(Rates.percent(600, 800)).isEqualTo(75.0);
        assertThat(CsatAnswer.positive(4)).isTrue();
        assertThat(CsatAnswer.positive(3)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "csat_5, null, null, 5", "CSAT-1, null, null, 1", "4, null, null, 4", "survey:3, null, null, 3",
            "btn_yes, 2, null, 2", "null, ⭐⭐⭐⭐, null, 4", "null, null, 👍, 5", "null, null, 👎🏽, 1",
            "csat_6, null, null, null", "null, 12, null, null", "null, Harika, null, null", "null, null, ❤️, null"})
    void surveyAnswersAreRead(String id, String title, String emoji, Integer expected) {
        assertThat(CsatAnswer.score(id, title, emoji)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            // the survey's button ids count by themselves, whatever the case
            "csat_, csat_5, null, null, 5, true", "csat_, CSAT_1, 1 ⭐, null, 1, true", "nps-, nps-3, null, null, 3, true",
            // any other score needs a CSAT question as context
            "csat_, csat-4, null, null, 4, false", "csat_, 4, null, null, 4, false", "nps-, csat_5, null, null, 5, false",
            "csat_, menu_2, 2, null, 2, false", "csat_, null, null, 👍, 5, false",
            // not scores
            "csat_, csat_6, null, null, null, null", "csat_, csat_55, null, null, null, null", "csat_, menu_2, Kargo, null, null, null"})
    void answersByTheSurveysButtonIdCountByThemselves(String prefix, String id, String title, String emoji, Integer score,
            Boolean byButtonId) {
        CsatAnswer answer = CsatAnswer.of(prefix, id, title, emoji);
        assertThat(answer == null ? null : answer.score()).isEqualTo(score);
        assertThat(answer == null ? null : answer.byButtonId()).isEqualTo(byButtonId);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"4, 4", "' 2. ', 2", "5!, 5", "👎, 1", "0, null", "6, null", "1 numaralı, null",
            "12, null", "Harika, null"})
    void aTypedScoreIsJustADigitOrAThumbAndNeverCountsByItself(String text, Integer score) {
        CsatAnswer answer = CsatAnswer.typed(text);
        assertThat(answer == null ? null : answer.score()).isEqualTo(score);
        if (answer != null) {
            assertThat(answer.byButtonId()).isFalse();
        }
    }

    @Test
    void aClearDifferenceBetweenVariantsIsSignificantAndNamesTheWinner() {
        VariantTest.Outcome outcome = VariantTest.evaluate(List.of(new VariantTest.Arm("A", 100, 1000),
                new VariantTest.Arm("B", 150, 1000)), 100, 0.05);
        // chi-square 11.43 with one degree of freedom
        assertThat(outcome.pValue()).isCloseTo(7.2323e-4, within(1e-7));
        assertThat(outcome.significant()).isTrue();
        assertThat(outcome.winner()).isEqualTo("B");
    }

    @Test
    void noWinnerWithoutSignificanceOrWithoutEnoughSample() {
        VariantTest.Outcome close = VariantTest.evaluate(List.of(new VariantTest.Arm("A", 100, 1000),
                new VariantTest.Arm("B", 104, 1000)), 100, 0.05);
        assertThat(close.significant()).isFalse();
        assertThat(close.winner()).isNull();
        VariantTest.Outcome small = VariantTest.evaluate(List.of(new VariantTest.Arm("A", 1, 50),
                new VariantTest.Arm("B", 30, 50)), 100, 0.05);
        assertThat(small.significant()).isTrue();
        assertThat(small.enoughSample()).isFalse();
        assertThat(small.winner()).isNull();
        assertThat(VariantTest.evaluate(List.of(new VariantTest.Arm("A", 0, 10)), 1, 0.05).pValue()).isNull();
    }
}
