package io.sohbet.console.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.Browser;
import io.sohbet.console.KeycloakAdmin;
import io.sohbet.console.SignedInTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session that ends while the page is open (issue 26: "session expiry during an htmx request goes back to the
 * login"): the sessions here are real ones, signed in through Keycloak, whose tokens are made short-lived through
 * Keycloak's admin API and whose Keycloak session is ended there, as when it times out or the person signs out elsewhere.
 */
@QuarkusTest
class SessionEndTest extends SignedInTest {

    /** campaign-service's stream of this campaign stays open for a minute (MarketingStub). */
    static final String LONG_RUNNING = "7a2e9e3c-0f3b-4c75-9d90-5e4f3a2b1c0d";

    private final KeycloakAdmin keycloak = KeycloakAdmin.ofConsole();

    @AfterEach
    void restoreTheRealm() {
        keycloak.tokenLifespan(KeycloakAdmin.REALM_TOKEN_LIFESPAN);
    }

    @Test
    void theLiveStreamEndsWhenTheSessionsTokensDoAndIsNotDone() {
        keycloak.tokenLifespan(Duration.ofSeconds(5));
        Browser marketer = signIn("marketer");

        long started = System.nanoTime();
        Browser.Page stream = marketer.get("/marketing/campaigns/" + LONG_RUNNING + "/progress", Map.of("Accept", "text/event-stream"));
        Duration lasted = Duration.ofNanos(System.nanoTime() - started);

        assertThat(stream.status()).isEqualTo(200);
        // campaign-service's stream would have gone on for a minute (without the bound it does: 63 s): the console ended
        // it with the tokens, at most 5 s after it began
        assertThat(lasted).isLessThan(Duration.ofSeconds(8));
        List<String[]> events = CampaignPagesTest.events(stream.body());
        assertThat(events).isNotEmpty().extracting(e -> e[0]).containsOnly("progress");
        // the reconnection goes through the session: the refresh token is still good, so the page follows on
        Browser.Page again = marketer.get("/marketing/campaigns/" + LONG_RUNNING, marketer.htmx());
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void anHtmxRequestOfAnEndedSessionIsToldToReloadIntoTheLoginNotGivenAFragment() throws InterruptedException {
        Browser marketer = endedSession("marketer");

        Browser.Page fragment = marketer.post("/marketing/campaigns", Map.of("name", "Spring"), marketer.htmx());

        assertThat(fragment.status()).isEqualTo(499);
        assertThat(fragment.header("HX-Refresh")).isEqualTo("true");
        assertThat(fragment.header("Location")).isNull();
        assertThat(fragment.body()).doesNotContain("<");
        assertThat(api.calls()).isEmpty();
        // the reload htmx then makes is a page request: it goes to Keycloak's login
        Browser.Page reload = marketer.get("/marketing/campaigns");
        assertThat(reload.status()).isEqualTo(302);
        assertThat(reload.header("Location")).contains("/realms/sohbet/protocol/openid-connect/auth");
    }

    @Test
    void theStreamsReconnectionOfAnEndedSessionIs499NotARedirectToKeycloak() throws InterruptedException {
        Browser marketer = endedSession("marketer");
        Map<String, String> before = marketer.consoleCookies();

        Browser.Page stream = marketer.get("/marketing/campaigns/" + LONG_RUNNING + "/progress", Map.of("Accept", "text/event-stream"));

        assertThat(stream.status()).isEqualTo(499);
        assertThat(stream.header("Location")).isNull();
        // no code flow started: no state cookie for every reconnection of the EventSource
        assertThat(marketer.consoleCookies().keySet()).noneMatch(name -> name.startsWith("q_auth") && !before.containsKey(name));
        assertThat(api.calls()).isEmpty();
        // what /static/console.js asks then (HX-Request to the page) says the same, and it reloads into the login
        Browser.Page probe = marketer.get("/marketing/campaigns/" + LONG_RUNNING, Map.of("HX-Request", "true"));
        assertThat(probe.status()).isEqualTo(499);
    }

    @Test
    void aFreshSessionIsNotTakenForAnEndedOne() {
        Browser marketer = signIn("marketer");

        Browser.Page page = marketer.get("/marketing/campaigns/" + LONG_RUNNING, marketer.htmx());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("HX-Refresh")).isNull();
    }

    /** Signed in with tokens that expire within seconds, then signed out in Keycloak, and waited until they expired. */
    private Browser endedSession(String user) throws InterruptedException {
        keycloak.tokenLifespan(Duration.ofSeconds(3));
        Browser browser = signIn(user);
        keycloak.signOut(user);
        Thread.sleep(4_500);
        api.clear();
        return browser;
    }
}
