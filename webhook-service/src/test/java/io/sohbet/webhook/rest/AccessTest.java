package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.CapturedLog;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The public endpoints are open to anyone (their requests are signed) and ignore tokens; the admin API takes only
 * access tokens issued for webhook-service ({@code sohbet-webhook}) of an admin. No service calls webhook-service.
 */
@QuarkusTest
class AccessTest {

    static final String REPLAY = "/admin/dlq/wa.inbound.dlq/replay";

    static int replay(Object token) {
        var answer = given().auth().oauth2(token.toString()).when().post(REPLAY).then().extract();
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
        return answer.statusCode();
    }

    @Test
    void theAdminApiTakesOnlyItsOwnAudienceAccessTokensOfAnAdmin() {
        try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) {
            assertThat(replay(TestTokens.person("sohbet-consent", "ayse", "admin"))).isEqualTo(401);
            assertThat(replay(TestTokens.service("sohbet-partner-demo", "account"))).isEqualTo(401);
            assertThat(replay(TestTokens.person("sohbet-webhook", "ayse", "admin").with("typ", "ID"))).isEqualTo(401);
            assertThat(replay(TestTokens.service("sohbet-consent", "sohbet-webhook", "subject-export"))).isEqualTo(403);
            assertThat(replay(TestTokens.person("sohbet-webhook", "ayse", "admin"))).isNotIn(401, 403);
            assertThat(log.lines()).containsExactly(
                    "WARN refused 401 DeadLetterReplayResource.replay: not issued for this service (audience) (client sohbet-cli, unverified)",
                    "WARN refused 401 DeadLetterReplayResource.replay: not issued for this service (audience) (client sohbet-partner-demo, unverified)",
                    "WARN refused 401 DeadLetterReplayResource.replay: not an access token (typ ID) (client sohbet-cli, unverified)",
                    "WARN refused 403 DeadLetterReplayResource.replay: the caller has none of the operation's roles (client sohbet-consent)");
            assertThat(String.join("\n", log.lines())).doesNotContain("ayse");
        }
    }

    @Test
    void publicEndpointsNeedNoTokenAndIgnoreABadOne() {
        given().auth().oauth2("not-a-token").queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "dev-verify-token")
                .queryParam("hub.challenge", "42").when().get("/webhooks/whatsapp").then().statusCode(200).body(equalTo("42"));
        given().when().get("/l/AAAAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404);
    }
}
