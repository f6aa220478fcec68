package io.sohbet.metrics.service;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Volume tiers as Meta writes them (volume_tier_info.tier, e.g. "25000001:50000000") and as the rate card names them. */
class VolumeTiersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "25000001:50000000 | 25000001:50000000",
            "0:250000          | 0:250000",
            "0250001 : 2000000 | 250001:2000000",
            "50000001:         | 50000001:",
            "7:7               | 7:7",
            "2000000:250001    | null",
            ":250000           | null",
            "1-250000          | null",
            "TIER_1            | null",
            "1:2:3             | null",
            "1234567890123:    | null"})
    void canonical(String tier, String expected) {
        assertThat(VolumeTiers.canonical(tier)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "INDIA        | IN",
            "India        | IN",
            "SAUDI_ARABIA | SA",
            "Saudi Arabia | SA",
            "TR           | TR",
            "TURKEY       | TR",
            "Türkiye      | TR",
            "NORTH_AMERICA| US,CA"})
    void regionsThatAreKnownWithoutConfiguration(String region, String countries) {
        MarketRegions regions = new MarketRegions(java.util.Map.of("Rest_of Africa", "DZ, ao"));
        assertThat(regions.countries(region)).containsExactly(countries.split(","));
        assertThat(regions.countries("Rest of Africa")).containsExactly("DZ", "AO");
        assertThat(regions.countries("REST_OF_WESTERN_EUROPE")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aConfiguredRegionWithAnythingButCountryCodesIsRefusedAtStart() {
        for (String countries : new String[] {"DZA, AO", "DZ, XX", " , "}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> new MarketRegions(java.util.Map.of("Rest of Africa", countries)))
                    .withMessageContaining("sohbet.metrics.cost.tier-regions.\"Rest of Africa\"");
        }
    }
}
