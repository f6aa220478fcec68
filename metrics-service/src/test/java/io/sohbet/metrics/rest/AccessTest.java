package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.CapturedLog;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only access tokens issued for metrics-service ({@code sohbet-metrics}); campaign-service reads hours, consent-service
 * exports, nobody else anything internal. Each refusal is a problem and one log line without the person.
 */
@QuarkusTest
class AccessTest {

    static int readHours(Object token) {
        var answer = given().auth().oauth2(token.toString()).contentType("application/json")
                .body("{\"subjectIds\":[\"abcdefghijklmnopqrs\"]}").when().post("/internal/read-hours").then().extract();
        if (answer.statusCode() >= 400) {
            assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
        return answer.statusCode();
    }

    @Test
    void onlyItsOwnAudienceAccessTokensAndOnlyTheCallersOwnOperations() {
        try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) {
            assertThat(readHours(TestTokens.service("sohbet-campaign", "sohbet-segment", "read-hours"))).isEqualTo(401);
            assertThat(readHours(TestTokens.service("sohbet-partner-demo", "account", "read-hours"))).isEqualTo(401);
            assertThat(readHours(TestTokens.service("sohbet-campaign", "sohbet-metrics", "read-hours").with("typ", "ID"))).isEqualTo(401);
            assertThat(readHours(TestTokens.person("account", "deniz", "analyst"))).isEqualTo(401);
            // consent-service's account exports, it does not read hours; campaign-service's reads hours, it does not export
            String consent = TestTokens.service("sohbet-consent", "sohbet-metrics", "subject-export").sign();
            assertThat(readHours(consent)).isEqualTo(403);
            given().auth().oauth2(TestTokens.service("sohbet-campaign", "sohbet-metrics", "read-hours").sign())
                    .when().get("/internal/subjects/abcdefghijklmnopqrs/export").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
            assertThat(readHours(TestTokens.service("sohbet-campaign", "sohbet-metrics", "read-hours"))).isEqualTo(200);
            assertThat(log.lines()).containsExactly(
                    "WARN refused 401 ReadHoursResource.bestHours: not issued for this service (audience) (client sohbet-campaign, unverified)",
                    "WARN refused 401 ReadHoursResource.bestHours: not issued for this service (audience) (client sohbet-partner-demo, unverified)",
                    "WARN refused 401 ReadHoursResource.bestHours: not an access token (typ ID) (client sohbet-campaign, unverified)",
                    "WARN refused 401 ReadHoursResource.bestHours: not issued for this service (audience) (client sohbet-cli, unverified)",
                    "WARN refused 403 ReadHoursResource.bestHours: the caller has none of the operation's roles (client sohbet-consent)",
                    "WARN refused 403 SubjectExportResource.export: the caller has none of the operation's roles (client sohbet-campaign)");
            assertThat(String.join("\n", log.lines())).doesNotContain("deniz", "abcdefghijklmnopqrs");
        }
    }
}
