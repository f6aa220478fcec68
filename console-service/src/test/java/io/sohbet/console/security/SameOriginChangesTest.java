package io.sohbet.console.security;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.ApiStub;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CSRF: a change needs the HX-Request header and the console's own Origin, whatever the session cookie says. */
@QuarkusTest
class SameOriginChangesTest extends SignedInTest {

    private static final Map<String, String> ERASURE = Map.of("type", "erasure", "phone", "+90 532 123 45 67");

    private Browser privacy;

    @BeforeEach
    void setUp() {
        privacy = signIn("privacy");
    }

    @Test
    void aPostWithoutHxRequestIsRefused() {
        Browser.Page page = privacy.post("/privacy/dsr", ERASURE, Map.of("Origin", origin()));

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void aPostFromAnotherOriginIsRefused() {
        Browser.Page page = privacy.post("/privacy/dsr", ERASURE, Map.of("HX-Request", "true", "Origin", "https://evil.example"));

        assertThat(page.status()).isEqualTo(403);
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void aPostWithoutAnyOriginIsRefused() {
        Browser.Page page = privacy.post("/privacy/dsr", ERASURE, Map.of("HX-Request", "true"));

        assertThat(page.status()).isEqualTo(403);
        assertThat(api.calls()).isEmpty();
    }

    @Test
    void theSamePostFromTheConsolesOwnPageGoesThrough() {
        Browser.Page page = privacy.post("/privacy/dsr", ERASURE, privacy.htmx());

        assertThat(page.status()).isEqualTo(200);
        assertThat(api.calls()).hasSize(1);
    }

    private String origin() {
        return console.getScheme() + "://" + console.getRawAuthority();
    }
}
