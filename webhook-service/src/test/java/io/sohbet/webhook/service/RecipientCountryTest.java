package io.sohbet.webhook.service;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientCountryTest {

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "905321234567, null, TR",
            "+905321234567, null, TR",
            "4915112345678, null, DE",
            // shared calling codes: the full number tells the region
            "14155550123, null, US",
            "16135550123, null, CA",
            "442071838750, null, GB",
            "77012345678, null, KZ",
            // no number (username-only): the business-scoped id's country prefix
            "'', US.13491208655302741918, US",
            "null, TR.1234567890, TR",
            "null, user.9373, null",
            "null, ZZ.1234, null",
            "null, tr.1234, null",
            "999, null, null",
            "abcdef, null, null",
            "null, null, null"})
    void regionOfTheRecipient(String waId, String bsuid, String expected) {
        assertThat(RecipientCountry.of(waId, bsuid)).isEqualTo(expected);
    }
}
