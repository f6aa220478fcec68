package io.sohbet.webhook.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.LinkKeys;
import io.sohbet.events.LinkTokens;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.kit.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The test configuration has key 0 (the previous one) and t1 (the current one), and format-1 links count until 2030. */
@QuarkusTest
class TrackedLinkResourceTest {

    static final byte[] KEY_0 = "dev-link-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final byte[] KEY_T1 = "dev-link-secret-t1-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final LinkTokens TOKENS = tokens("t1", Map.of("t1", KEY_T1));
    private static final String BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";
    /** Issued by the format-1 code (before key ids and expiry) with key 0: a link sent before the upgrade. */
    private static final String V1_TOKEN = "1.Yy12MQpBCnN1YmplY3QtdjEKY3RhCmh0dHBzOi8vc2hvcC5leGFtcGxlL3Yx._mVtWmdnrgtpAlHax0RWbA";

    @Inject
    MeterRegistry registry;

    static LinkTokens tokens(String current, Map<String, byte[]> keys) {
        return new LinkTokens(new LinkKeys(current, keys), LinkTokens.DEFAULT_LIFETIME, Optional.empty());
    }

    @Test
    void aClickRedirectsAndIsRecordedOnce() {
        String campaign = "c-" + UUID.randomUUID();
        String token = TOKENS.issue(new LinkTokens.Link(campaign, "B", "subject-7", "cta", "https://shop.example/kasim?x=1"));
        double clicks = redirects("click");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + token)
                    .then().statusCode(302).header("Location", "https://shop.example/kasim?x=1");
            var seen = kafka.await(1, r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign), Duration.ofSeconds(20));
            var click = seen.get(0);
            assertThat(click.key()).isEqualTo("subject-7");
            assertThat(click.value().dataAs(LinkClick.class).variant()).isEqualTo("B");
            long later = kafka.drain(Duration.ofSeconds(2)).stream().filter(r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign)).count();
            assertThat(seen.size() + later).as("exactly one click").isEqualTo(1);
        }
        assertThat(redirects("click")).isEqualTo(clicks + 1);
    }

    @Test
    void linksOfThePreviousKeyAndOfFormatOneStillCount() {
        String campaign = "c-" + UUID.randomUUID();
        String previous = tokens("0", Map.of("0", KEY_0)).issue(new LinkTokens.Link(campaign, "A", "subject-9", "cta", "https://shop.example/"));
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            for (String token : List.of(previous, V1_TOKEN)) {
                given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + token).then().statusCode(302);
            }
            var clicks = kafka.await(2, r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign)
                    || ofCampaign(r.value().dataAs(LinkClick.class), "c-v1"), Duration.ofSeconds(20));
            assertThat(clicks).extracting(r -> r.value().dataAs(LinkClick.class).campaignId() + "/" + r.key())
                    .containsExactlyInAnyOrder(campaign + "/subject-9", "c-v1/subject-v1");
        }
    }

    @Test
    void anExpiredLinkRedirectsButRecordsNoClick() {
        String campaign = "c-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minus(LinkTokens.DEFAULT_LIFETIME).minusSeconds(60);
        String token = TOKENS.issue(new LinkTokens.Link(campaign, "A", "subject-10", "cta", "https://shop.example/eski"), longAgo);
        double expired = redirects("expired");
        double clicks = redirects("click");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + token)
                    .then().statusCode(302).header("Location", "https://shop.example/eski").header("Cache-Control", "no-store");
            assertThat(kafka.drain(Duration.ofSeconds(3))).noneMatch(r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign));
        }
        assertThat(redirects("expired")).isEqualTo(expired + 1);
        assertThat(redirects("click")).isEqualTo(clicks);
    }

    @Test
    void aLinkOfAnErasedPersonRedirectsButRecordsNoClick() {
        String campaign = "c-" + UUID.randomUUID();
        String subject = "erased-" + UUID.randomUUID();
        io.sohbet.devstack.KeyVaultStandIn.ERASED.put(subject, Instant.now()); // the vault destroyed the key
        String token = TOKENS.issue(new LinkTokens.Link(campaign, "A", subject, "cta", "https://shop.example/kasim"));
        double erased = redirects("erased");
        double clicks = redirects("click");
        int creatingCalls = io.sohbet.devstack.KeyVaultStandIn.CREATING_CALLS.get();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + token)
                    .then().statusCode(302).header("Location", "https://shop.example/kasim");
            assertThat(kafka.drain(Duration.ofSeconds(3))).noneMatch(r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign));
        }
        assertThat(redirects("erased")).isEqualTo(erased + 1);
        assertThat(redirects("click")).isEqualTo(clicks);
        assertThat(io.sohbet.devstack.KeyVaultStandIn.CREATING_CALLS.get()).as("keys created for the link").isEqualTo(creatingCalls);
    }

    @Test
    void aPersonErasedAndBackRecordsNoClickOnALinkFromBeforeTheErasureButDoesOnANewOne() {
        String subject = "back-" + UUID.randomUUID();
        Instant erasedAt = Instant.now().minus(Duration.ofDays(3));
        io.sohbet.devstack.KeyVaultStandIn.ERASED.put(subject, erasedAt);
        io.sohbet.devstack.KeyVaultStandIn.BACK.add(subject); // wrote again since: a new key
        String oldCampaign = "c-" + UUID.randomUUID();
        String newCampaign = "c-" + UUID.randomUUID();
        // both still within their lifetime; the old one was sent before the erasure folded the campaign's rows
        String old = TOKENS.issue(new LinkTokens.Link(oldCampaign, "A", subject, "cta", "https://shop.example/eski"),
                erasedAt.minus(Duration.ofDays(10)));
        String fresh = TOKENS.issue(new LinkTokens.Link(newCampaign, "A", subject, "cta", "https://shop.example/yeni"),
                erasedAt.plus(Duration.ofDays(1)));
        double erased = redirects("erased");
        double clicks = redirects("click");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + old)
                    .then().statusCode(302).header("Location", "https://shop.example/eski");
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + fresh)
                    .then().statusCode(302).header("Location", "https://shop.example/yeni");
            var seen = kafka.await(1, r -> ofCampaign(r.value().dataAs(LinkClick.class), newCampaign), Duration.ofSeconds(20));
            assertThat(seen.get(0).key()).isEqualTo(subject);
            assertThat(kafka.drain(Duration.ofSeconds(2))).noneMatch(r -> ofCampaign(r.value().dataAs(LinkClick.class), oldCampaign));
        }
        assertThat(redirects("erased")).isEqualTo(erased + 1);
        assertThat(redirects("click")).isEqualTo(clicks + 1);
    }

    @Test
    void previewFetchersAreRedirectedButNotCounted() {
        String campaign = "c-" + UUID.randomUUID();
        String token = TOKENS.issue(new LinkTokens.Link(campaign, "A", "subject-8", "cta", "https://shop.example/"));
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            for (String agent : new String[] {"WhatsApp/2.23.20.0 A", "facebookexternalhit/1.1", "curl/8.5.0"}) {
                given().redirects().follow(false).header("User-Agent", agent).when().get("/l/" + token)
                        .then().statusCode(302);
            }
            assertThat(kafka.drain(Duration.ofSeconds(2)))
                    .noneMatch(r -> r.value().dataAs(LinkClick.class).campaignId().equals(campaign));
        }
    }

    @Test
    void forgedAlteredOrUnknownKeyTokensAre404NeverARedirect() {
        String token = TOKENS.issue(new LinkTokens.Link("c", "A", "s", "l", "https://shop.example/"));
        String forged = tokens("t1", Map.of("t1", "someone-elses-secret-123".getBytes(StandardCharsets.UTF_8)))
                .issue(new LinkTokens.Link("c", "A", "s", "l", "https://evil.example/"));
        String unknownKey = tokens("t9", Map.of("t9", KEY_T1)).issue(new LinkTokens.Link("c", "A", "s", "l", "https://shop.example/"));
        String relabelled = token.replaceFirst("^2\\.t1\\.", "2.0.");
        double unknown = redirects("unknown");
        List<String> bad = List.of(forged, unknownKey, relabelled, token + "x", "2.t1.abc.def", "1.abc.def", "nonsense");
        for (String b : bad) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + b)
                    .then().statusCode(404).contentType(Problem.MEDIA_TYPE).body("status", equalTo(404)).header("Location", nullValue());
        }
        assertThat(redirects("unknown")).isEqualTo(unknown + bad.size());
    }

    @Test
    void aReplayedClickRedirectsEveryTimeButIsCountedOnce() {
        String campaign = "c-" + UUID.randomUUID();
        String token = TOKENS.issue(new LinkTokens.Link(campaign, "A", "subject-replayed", "cta", "https://shop.example/r"));
        double repeats = redirects("repeat");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            for (int i = 0; i < 5; i++) {
                given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + token)
                        .then().statusCode(302).header("Location", "https://shop.example/r");
            }
            kafka.await(1, r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign), Duration.ofSeconds(20));
            long later = kafka.drain(Duration.ofSeconds(2)).stream()
                    .filter(r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign)).count();
            assertThat(1 + later).as("one click for five requests within the window").isEqualTo(1);
        }
        // a click window is 10 minutes: the test may straddle two windows at most once, never five
        assertThat(redirects("repeat")).isGreaterThanOrEqualTo(repeats + 3);
    }

    @Test
    void aFloodOfLinksFromOneSourceIsRedirectedButCountsOnlyUpToTheLimit() {
        String campaign = "c-" + UUID.randomUUID();
        double limited = redirects("rate-limited");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            // one source (behind the trusted proxy, 127.0.0.1 in tests) with 40 different people's links
            for (int i = 0; i < 40; i++) {
                String token = TOKENS.issue(new LinkTokens.Link(campaign, "B", "subject-flood-" + i, "cta", "https://shop.example/f"));
                given().redirects().follow(false).header("User-Agent", BROWSER).header("X-Forwarded-For", "203.0.113.77")
                        .when().get("/l/" + token).then().statusCode(302).header("Location", "https://shop.example/f");
            }
            // another source is not held back
            String other = TOKENS.issue(new LinkTokens.Link(campaign, "B", "subject-elsewhere", "cta", "https://shop.example/f"));
            given().redirects().follow(false).header("User-Agent", BROWSER).header("X-Forwarded-For", "198.51.100.23")
                    .when().get("/l/" + other).then().statusCode(302);
            var seen = kafka.await(31, r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign), Duration.ofSeconds(30));
            long later = kafka.drain(Duration.ofSeconds(2)).stream()
                    .filter(r -> ofCampaign(r.value().dataAs(LinkClick.class), campaign)).count();
            assertThat(seen.size() + later).as("30 of the flood (sohbet.webhook.links.clicks-per-source) and the other source's")
                    .isEqualTo(31);
            assertThat(seen).anyMatch(r -> r.key().equals("subject-elsewhere"));
        }
        assertThat(redirects("rate-limited")).isEqualTo(limited + 10);
    }

    static boolean ofCampaign(LinkClick click, String campaign) {
        return click.campaignId().equals(campaign);
    }

    double redirects(String outcome) {
        return registry.counter("sohbet.webhook.link.redirects", "outcome", outcome).count();
    }
}
