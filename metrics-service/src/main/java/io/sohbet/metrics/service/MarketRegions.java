package io.sohbet.metrics.service;

import io.sohbet.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The countries of a market Meta names in a volume-tier report ({@code volume_tier_info.region}, e.g. {@code INDIA}):
 * an ISO 3166 alpha-2 code is itself; a market that is one country is found by the country's English name (accents,
 * spaces and punctuation aside: {@code SAUDI_ARABIA}, {@code Saudi Arabia}); a few of Meta's market names are built in
 * ({@code NORTH_AMERICA}, {@code TURKEY}); the rest ("Rest of Africa" and the other grouped markets) come from
 * {@code sohbet.metrics.cost.tier-regions}, which also overrides the others. A region none of these knows prices
 * nothing (and is logged by the listener).
 */
@ApplicationScoped
public class MarketRegions {

    private static final Map<String, List<String>> BUILT_IN = Map.of(
            "NORTH_AMERICA", List.of("US", "CA"),
            "TURKEY", List.of("TR"),
            "TURKIYE", List.of("TR"),
            "RUSSIA", List.of("RU"),
            "UAE", List.of("AE"),
            "UK", List.of("GB"));

    private final Map<String, List<String>> byRegion = new HashMap<>();

    @Inject
    public MarketRegions(MetricsConfig config) {
        this(config.cost().tierRegions());
    }

    /** With {@code configured}: comma-separated ISO alpha-2 codes by region name. */
    public MarketRegions(Map<String, String> configured) {
        for (String code : Locale.getISOCountries()) {
            byRegion.put(code, List.of(code));
            byRegion.putIfAbsent(normalise(new Locale("", code).getDisplayCountry(Locale.ENGLISH)), List.of(code));
        }
        byRegion.putAll(BUILT_IN);
        Set<String> iso = Set.of(Locale.getISOCountries());
        configured.forEach((region, countries) -> {
            List<String> codes = Arrays.stream(countries.split(",")).map(String::strip).filter(c -> !c.isEmpty())
                    .map(c -> c.toUpperCase(Locale.ROOT)).toList();
            // refused at start: a wrong code would price nothing, or fail every report of the region into the DLQ
            List<String> wrong = codes.stream().filter(c -> !iso.contains(c)).toList();
            if (codes.isEmpty() || !wrong.isEmpty()) {
                throw new IllegalArgumentException("sohbet.metrics.cost.tier-regions.\"" + region + "\" must list ISO 3166 "
                        + "alpha-2 country codes, comma-separated; not: " + (codes.isEmpty() ? "(none)" : String.join(", ", wrong)));
            }
            byRegion.put(normalise(region), codes);
        });
    }

    /** Upper case, accents dropped, every run of other characters one underscore: {@code Türkiye} → {@code TURKIYE}. */
    public static String normalise(String region) {
        String plain = Normalizer.normalize(region == null ? "" : region, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_").replaceAll("^_|_$", "");
    }

    /** The ISO alpha-2 codes of the region's countries; empty when the region is not known. */
    public List<String> countries(String region) {
        return byRegion.getOrDefault(normalise(region), List.of());
    }
}
