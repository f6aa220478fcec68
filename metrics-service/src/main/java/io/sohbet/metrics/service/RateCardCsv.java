package io.sohbet.metrics.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a rate card from CSV, line by line: a header {@code country,category,effective_from,price,currency} (optionally
 * followed by {@code ,tier}), then one price per line, e.g. {@code TR,marketing,2026-07-01,1.1600,TRY} or
 * {@code TR,utility,2026-07-01,0.1900,TRY,250001:2000000}. Country: ISO 3166 alpha-2, or {@code *} for every
 * country without a rate of its own; category: one of Meta's pricing categories; effective_from: the day the price
 * takes effect (ISO date from the year 2000 to 9999, business time zone); price: per delivered message, at most 6
 * decimals, not negative; currency: the configured one; tier: empty for the base rate, or the volume tier whose rate it
 * is, as Meta writes it in volume-tier reports ({@code <first>:<last>} message of the month, {@code <first>:} for the
 * top band), only for utility and authentication ({@link VolumeTiers}). Blank lines are skipped. Every wrong line is
 * reported with its number (the header is line 1), and nothing is imported while one is wrong.
 */
public final class RateCardCsv {

    public static final String HEADER = "country,category,effective_from,price,currency";
    /** The header of a card with volume-tier rates: a sixth column, empty on a base rate. */
    public static final String HEADER_WITH_TIER = HEADER + ",tier";
    public static final Set<String> CATEGORIES = Set.of("marketing", "utility", "authentication", "authentication_international",
            "service", "marketing_lite", "referral_conversion");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    /** Errors reported at most; a card that is wrong throughout needs no ten thousand lines of explanation. */
    static final int MAX_ERRORS = 50;

    /** One price of the card. */
    public record Rate(String country, String category, LocalDate effectiveFrom, BigDecimal price, String currency, String tier) {
    }

    /** A wrong line: its number (1 is the header) and what is wrong. */
    public record LineError(int line, String detail) {
    }

    /** The card has wrong lines, or is empty, or too long (then {@code tooLarge}). */
    public static final class InvalidRateCardException extends RuntimeException {

        private final transient List<LineError> errors;
        private final boolean tooLarge;

        InvalidRateCardException(List<LineError> errors, boolean tooLarge) {
            super("the rate card is invalid", null, false, false);
            this.errors = List.copyOf(errors);
            this.tooLarge = tooLarge;
        }

        public List<LineError> errors() {
            return errors;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    private RateCardCsv() {
    }

    public static List<Rate> parse(String text, String currency, int maxLines) {
        List<LineError> errors = new ArrayList<>();
        String body = text == null ? "" : text;
        // a spreadsheet's "CSV UTF-8" starts with a byte order mark, which is no part of the header
        String[] lines = (body.startsWith("\uFEFF") ? body.substring(1) : body).split("\r?\n", -1);
        int count = lines.length;
        while (count > 0 && lines[count - 1].isBlank()) {
            count--;
        }
        if (count - 1 > maxLines) {
            throw new InvalidRateCardException(List.of(new LineError(maxLines + 2, "a rate card has at most " + maxLines + " lines")), true);
        }
        String header = count == 0 ? "" : strip(lines[0]).replace(" ", "").toLowerCase(Locale.ROOT);
        if (!HEADER.equals(header) && !HEADER_WITH_TIER.equals(header)) {
            throw new InvalidRateCardException(List.of(new LineError(1, "the first line must be the header " + HEADER + " or "
                    + HEADER_WITH_TIER)), false);
        }
        boolean tiered = HEADER_WITH_TIER.equals(header);
        List<Rate> rates = new ArrayList<>();
        Set<List<Object>> keys = new HashSet<>();
        for (int i = 1; i < count && errors.size() < MAX_ERRORS; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String problem = null;
            Rate rate = null;
            try {
                rate = rate(lines[i], currency, tiered);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (rate != null && !keys.add(List.of(rate.country(), rate.category(), rate.tier(), rate.effectiveFrom()))) {
                problem = "a second price for " + rate.country() + " " + rate.category() + (rate.tier().isEmpty() ? "" : " tier "
                        + rate.tier()) + " from " + rate.effectiveFrom();
            }
            if (problem != null) {
                errors.add(new LineError(i + 1, problem));
            } else {
                rates.add(rate);
            }
        }
        if (errors.isEmpty() && rates.isEmpty()) {
            errors.add(new LineError(2, "the rate card has no prices"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRateCardException(errors, false);
        }
        return rates;
    }

    private static Rate rate(String line, String currency, boolean tiered) {
        String[] cells = line.split(",", -1);
        int columns = tiered ? 6 : 5;
        if (cells.length != columns) {
            throw new IllegalArgumentException("must have " + columns + " comma-separated values (" + (tiered ? HEADER_WITH_TIER
                    : HEADER) + "), has " + cells.length);
        }
        String country = strip(cells[0]).toUpperCase(Locale.ROOT);
        if (!"*".equals(country) && !COUNTRIES.contains(country)) {
            throw new IllegalArgumentException("country must be an ISO 3166 alpha-2 code such as TR, or *");
        }
        String category = strip(cells[1]).toLowerCase(Locale.ROOT).replace('-', '_');
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("category must be one of " + String.join(", ", CATEGORIES.stream().sorted().toList()));
        }
        LocalDate from;
        try {
            from = LocalDate.parse(strip(cells[2]));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("effective_from must be a date such as 2026-07-01");
        }
        if (from.getYear() < 2000 || from.getYear() > 9999) {
            // ISO dates may have more digits (+10000-01-01) than PostgreSQL's dates take: a 400, not a failed insert
            throw new IllegalArgumentException("effective_from must be a date from the year 2000 to 9999");
        }
        BigDecimal price;
        try {
            price = new BigDecimal(strip(cells[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("price must be a decimal number such as 1.1600");
        }
        if (price.signum() < 0 || price.scale() > 6 || price.precision() - price.scale() > 8) {
            throw new IllegalArgumentException("price must be at least 0, below 100000000, with at most 6 decimals");
        }
        String code = strip(cells[4]).toUpperCase(Locale.ROOT);
        if (!code.equals(currency)) {
            throw new IllegalArgumentException("currency must be " + currency + ", the currency of the rate card");
        }
        String tier = tiered ? strip(cells[5]) : "";
        if (!tier.isEmpty()) {
            if (!VolumeTiers.CATEGORIES.contains(category)) {
                throw new IllegalArgumentException("tier must be empty for " + category + ": Meta gives volume tiers only to "
                        + String.join(" and ", VolumeTiers.CATEGORIES.stream().sorted().toList()) + " messages");
            }
            String canonical = VolumeTiers.canonical(tier);
            if (canonical == null) {
                throw new IllegalArgumentException("tier must be empty (the base rate) or a volume tier as Meta writes it, "
                        + "first:last message of the month such as 250001:2000000, or first: for the top tier");
            }
            tier = canonical;
        }
        return new Rate(country, category, from, price, code, tier);
    }

    private static String strip(String cell) {
        String s = cell.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).strip() : s;
    }
}
