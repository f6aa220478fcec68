package io.sohbet.consent.service;

import io.sohbet.consent.config.ConsentConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The preference page's notice settings are checked at start, as the ledger's REST path checks a notice. */
class PreferenceNoticesTest {

    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    record Notice(String id, String version, String sha256, Optional<URI> url) implements ConsentConfig.Preferences.Notice {
    }

    @Test
    void goodNoticesPass() {
        assertThat(PreferencePage.problems(Map.of(
                "marketing", new Notice("pazarlama-acik-riza", "2026-11", SHA, Optional.of(URI.create("https://shop.example.com/kvkk"))),
                "analytics", new Notice("analiz", "1", SHA, Optional.empty())))).isEmpty();
    }

    @Test
    void eachBadSettingIsNamed() {
        assertThat(PreferencePage.problems(Map.of(
                "marketing", new Notice("x".repeat(101), " ", SHA.toUpperCase(), Optional.of(URI.create("kvkk/pazarlama"))),
                "profiling", new Notice("profil", "v".repeat(41), SHA.substring(1), Optional.empty()),
                "newsletter", new Notice("bulten", "1", SHA, Optional.empty()))))
                .containsExactly(
                        "marketing.id must be 1 to 100 characters",
                        "marketing.version must be 1 to 40 characters",
                        "marketing.sha256 must be the SHA-256 of the notice's text as 64 lowercase hex digits",
                        "marketing.url must be an absolute http(s) address",
                        "newsletter is not a purpose of the page (marketing, analytics, profiling)",
                        "profiling.version must be 1 to 40 characters",
                        "profiling.sha256 must be the SHA-256 of the notice's text as 64 lowercase hex digits");
    }
}
