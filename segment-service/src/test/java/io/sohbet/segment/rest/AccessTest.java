package io.sohbet.segment.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.CapturedLog;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only access tokens issued for segment-service ({@code sohbet-segment}); campaign-service reads members,
 * consent-service exports, nobody else anything else. Each refusal is a problem and one log line without the person.
 */
@QuarkusTest
class AccessTest {

    static int members(Object token) {
        var answer = given().auth().oauth2(token.toString()).when().get("/api/segments/vip/members").then().extract();
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
        return answer.statusCode();
    }

    @Test
    void onlyItsOwnAudienceAccessTokensAndOnlyTheCallersOwnOperations() {
        try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) {
            assertThat(members(TestTokens.service("sohbet-campaign", "sohbet-metrics", "segment-members"))).isEqualTo(401);
            assertThat(members(TestTokens.service("sohbet-partner-demo", "account", "segment-members"))).isEqualTo(401);
            assertThat(members(TestTokens.service("sohbet-campaign", "sohbet-segment", "segment-members").with("typ", "ID")))
                    .isEqualTo(401);
            assertThat(members(TestTokens.person("account", "mert", "marketer"))).isEqualTo(401);
            // consent-service's account exports, it does not read members; campaign-service's reads members, it does not export
            assertThat(members(TestTokens.service("sohbet-consent", "sohbet-segment", "subject-export"))).isEqualTo(403);
            given().auth().oauth2(TestTokens.service("sohbet-campaign", "sohbet-segment", "segment-members").sign())
                    .when().get("/internal/subjects/abcdefghijklmnopqrs/export").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
            given().auth().oauth2(TestTokens.service("sohbet-campaign", "sohbet-segment", "segment-members").sign())
                    .when().get("/api/profiles/abcdefghijklmnopqrs").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
            assertThat(members(TestTokens.service("sohbet-campaign", "sohbet-segment", "segment-members"))).isNotIn(401, 403);
            assertThat(log.lines()).containsExactly(
                    "WARN refused 401 SegmentResource.members: not issued for this service (audience) (client sohbet-campaign, unverified)",
                    "WARN refused 401 SegmentResource.members: not issued for this service (audience) (client sohbet-partner-demo, unverified)",
                    "WARN refused 401 SegmentResource.members: not an access token (typ ID) (client sohbet-campaign, unverified)",
                    "WARN refused 401 SegmentResource.members: not issued for this service (audience) (client sohbet-cli, unverified)",
                    "WARN refused 403 SegmentResource.members: the caller has none of the operation's roles (client sohbet-consent)",
                    "WARN refused 403 SubjectExportResource.export: the caller has none of the operation's roles (client sohbet-campaign)",
                    "WARN refused 403 ProfileResource.get: the caller has none of the operation's roles (client sohbet-campaign)");
            assertThat(String.join("\n", log.lines())).doesNotContain("mert", "abcdefghijklmnopqrs");
        }
    }
}
