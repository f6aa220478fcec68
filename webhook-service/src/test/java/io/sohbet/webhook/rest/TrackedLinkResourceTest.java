package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.LinkTokens;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class TrackedLinkResourceTest {

    private static final LinkTokens TOKENS = new LinkTokens("dev-link-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    private static final String BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";

    @Test
    void aClickRedirectsAndIsRecorded() {
        String campaign = "c-" + UUID.randomUUID();
        String token = TOKENS.issue(new LinkTokens.Link(campaign, "B", "subject-7", "cta", "https://shop.example/kasim?x=1"));
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.LINK_CLICK)) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + token)
                    .then().statusCode(302).header("Location", "https://shop.example/kasim?x=1");
            var click = kafka.await(1, r -> r.value().dataAs(LinkClick.class).campaignId().equals(campaign), Duration.ofSeconds(20)).get(0);
            assertThat(click.key()).isEqualTo("subject-7");
            assertThat(click.value().dataAs(LinkClick.class).variant()).isEqualTo("B");
        }
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
    void forgedOrAlteredTokensAre404NeverARedirect() {
        String token = TOKENS.issue(new LinkTokens.Link("c", "A", "s", "l", "https://shop.example/"));
        String forged = new LinkTokens("someone-elses-secret-123".getBytes(StandardCharsets.UTF_8))
                .issue(new LinkTokens.Link("c", "A", "s", "l", "https://evil.example/"));
        for (String bad : new String[] {forged, token + "x", "1.abc.def", "nonsense"}) {
            given().redirects().follow(false).header("User-Agent", BROWSER).when().get("/l/" + bad)
                    .then().statusCode(404).contentType(Problem.MEDIA_TYPE).body("status", equalTo(404));
        }
    }
}
