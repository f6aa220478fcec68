package io.sohbet.metrics.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateCardCsvTest {

    static final String HEADER = "country,category,effective_from,price,currency\n";

    @Test
    void readsEveryLineExactly() {
        List<RateCardCsv.Rate> rates = RateCardCsv.parse(HEADER + "TR,marketing,2026-07-01,1.1600,TRY\r\n"
                + "\n* , Authentication-International ,2026-01-01,0.000001,try\n\"US\",utility,2026-10-01,0,TRY\n\n", "TRY", 100);
        assertThat(rates).containsExactly(
                new RateCardCsv.Rate("TR", "marketing", LocalDate.of(2026, 7, 1), new BigDecimal("1.1600"), "TRY", ""),
                new RateCardCsv.Rate("*", "authentication_international", LocalDate.of(2026, 1, 1), new BigDecimal("0.000001"), "TRY", ""),
                new RateCardCsv.Rate("US", "utility", LocalDate.of(2026, 10, 1), BigDecimal.ZERO, "TRY", ""));
    }

    static final String TIERED = "country,category,effective_from,price,currency,tier\n";

    @Test
    void readsVolumeTierRatesWithTheSixthColumn() {
        List<RateCardCsv.Rate> rates = RateCardCsv.parse(TIERED + "TR,utility,2026-07-01,0.2000,TRY,\n"
                + "TR,utility,2026-07-01,0.1900,TRY, 0250001 : 2000000 \nTR,authentication,2026-07-01,0.1500,TRY,\"2000001:\"\n"
                + "TR,marketing,2026-07-01,1.1600,TRY,\n", "TRY", 100);
        assertThat(rates).extracting(RateCardCsv.Rate::category, RateCardCsv.Rate::tier).containsExactly(
                org.assertj.core.groups.Tuple.tuple("utility", ""), org.assertj.core.groups.Tuple.tuple("utility", "250001:2000000"),
                org.assertj.core.groups.Tuple.tuple("authentication", "2000001:"), org.assertj.core.groups.Tuple.tuple("marketing", ""));
        // the base rate and a tier's rate of the same day are two prices, the same tier twice is one too many
        RateCardCsv.InvalidRateCardException e = catchThrowableOfType(RateCardCsv.InvalidRateCardException.class,
                () -> RateCardCsv.parse(TIERED + "TR,utility,2026-07-01,0.19,TRY,250001:2000000\n"
                        + "TR,utility,2026-07-01,0.18,TRY,250001:02000000\n", "TRY", 100));
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.detail()).contains("a second price for TR utility tier 250001:2000000 from 2026-07-01");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "TR,marketing,2026-07-01,1.16,TRY,1:250000     | tier must be empty for marketing",
            "TR,service,2026-07-01,0,TRY,1:250000          | tier must be empty for service",
            "TR,utility,2026-07-01,0.19,TRY,gold           | tier must be empty (the base rate) or a volume tier",
            "TR,utility,2026-07-01,0.19,TRY,2000000:250001 | tier must be empty (the base rate) or a volume tier",
            "TR,utility,2026-07-01,0.19,TRY,:250000        | tier must be empty (the base rate) or a volume tier",
            "TR,utility,2026-07-01,0.19,TRY,-1:250000      | tier must be empty (the base rate) or a volume tier",
            "TR,utility,2026-07-01,0.19,TRY                | must have 6 comma-separated values"})
    void aWrongTierIsReportedWithItsLine(String line, String detail) {
        RateCardCsv.InvalidRateCardException e = catchThrowableOfType(RateCardCsv.InvalidRateCardException.class,
                () -> RateCardCsv.parse(TIERED + line.strip() + "\n", "TRY", 100));
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.detail()).contains(detail);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "TR,marketing,2026-07-01,1.16          | must have 5 comma-separated values",
            "TR,marketing,2026-07-01,1.16,TRY,x    | must have 5 comma-separated values",
            "TUR,marketing,2026-07-01,1.16,TRY     | country must be an ISO 3166 alpha-2 code",
            "XX,marketing,2026-07-01,1.16,TRY      | country must be an ISO 3166 alpha-2 code",
            "TR,promotion,2026-07-01,1.16,TRY      | category must be one of",
            "TR,marketing,01.07.2026,1.16,TRY      | effective_from must be a date",
            "TR,marketing,2026-02-30,1.16,TRY      | effective_from must be a date",
            "TR,marketing,+10000-07-01,1.16,TRY    | effective_from must be a date from the year 2000 to 9999",
            "TR,marketing,+9999999-07-01,1.16,TRY  | effective_from must be a date from the year 2000 to 9999",
            "TR,marketing,-0001-07-01,1.16,TRY     | effective_from must be a date from the year 2000 to 9999",
            "TR,marketing,2026-07-01,1,16,TRY      | must have 5 comma-separated values",
            "TR,marketing,2026-07-01,abc,TRY       | price must be a decimal number",
            "TR,marketing,2026-07-01,-0.01,TRY     | price must be at least 0",
            "TR,marketing,2026-07-01,0.0000001,TRY | with at most 6 decimals",
            "TR,marketing,2026-07-01,100000000,TRY | below 100000000",
            "TR,marketing,2026-07-01,1.16,USD      | currency must be TRY"})
    void aWrongLineIsReportedWithItsNumber(String line, String detail) {
        RateCardCsv.InvalidRateCardException e = catchThrowableOfType(RateCardCsv.InvalidRateCardException.class,
                () -> RateCardCsv.parse(HEADER + "TR,utility,2026-07-01,0.30,TRY\n\n" + line.strip() + "\n", "TRY", 100));
        assertThat(e.tooLarge()).isFalse();
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(4); // header 1, a good line 2, a blank line 3
            assertThat(error.detail()).contains(detail);
        });
    }

    @Test
    void everyWrongLineIsReportedAndDuplicatesToo() {
        RateCardCsv.InvalidRateCardException e = catchThrowableOfType(RateCardCsv.InvalidRateCardException.class,
                () -> RateCardCsv.parse(HEADER + "TR,marketing,2026-07-01,1.16,TRY\nTR,nope,2026-07-01,1,TRY\n"
                        + "tr,MARKETING,2026-07-01,1.20,TRY\n", "TRY", 100));
        assertThat(e.errors()).extracting(RateCardCsv.LineError::line).containsExactly(3, 4);
        assertThat(e.errors().get(1).detail()).contains("a second price for TR marketing from 2026-07-01");
    }

    @Test
    void headerEmptinessAndSize() {
        assertThat(catchThrowableOfType(RateCardCsv.InvalidRateCardException.class,
                () -> RateCardCsv.parse("TR,marketing,2026-07-01,1.16,TRY\n", "TRY", 100)).errors())
                .singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(1));
        assertThat(catchThrowableOfType(RateCardCsv.InvalidRateCardException.class, () -> RateCardCsv.parse(HEADER, "TRY", 100))
                .errors()).singleElement().satisfies(e -> assertThat(e.detail()).contains("no prices"));
        assertThat(catchThrowableOfType(RateCardCsv.InvalidRateCardException.class, () -> RateCardCsv.parse("", "TRY", 100))
                .errors()).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(1));
        RateCardCsv.InvalidRateCardException tooLong = catchThrowableOfType(RateCardCsv.InvalidRateCardException.class,
                () -> RateCardCsv.parse(HEADER + "TR,marketing,2026-07-01,1,TRY\nTR,utility,2026-07-01,1,TRY\n"
                        + "TR,service,2026-07-01,1,TRY\n", "TRY", 2));
        assertThat(tooLong.tooLarge()).isTrue();
        assertThat(RateCardCsv.parse(HEADER + "TR,marketing,2026-07-01,1,TRY\nTR,utility,2026-07-01,1,TRY\n", "TRY", 2)).hasSize(2);
        // as a spreadsheet saves "CSV UTF-8": a byte order mark before the header
        assertThat(RateCardCsv.parse("\uFEFF" + HEADER + "TR,marketing,2026-07-01,1,TRY\n", "TRY", 2)).hasSize(1);
    }
}
