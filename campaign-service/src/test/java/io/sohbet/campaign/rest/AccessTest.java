package io.sohbet.campaign.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.CapturedLog;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only access tokens issued for campaign-service ({@code sohbet-campaign}); of the services only consent-service
 * calls it (exports). Each refusal is a problem and one log line without the person.
 */
@QuarkusTest
class AccessTest {

    static int campaigns(Object token) {
        var answer = given().auth().oauth2(token.toString()).when().get("/api/campaigns").then().extract();
        if (answer.statusCode() >= 400) {
            assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
        return answer.statusCode();
    }

    @Test
    void onlyItsOwnAudienceAccessTokensAndOnlyTheCallersOwnOperations() {
        try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) {
            assertThat(campaigns(TestTokens.person("sohbet-segment", "mert", "marketer"))).isEqualTo(401);
            assertThat(campaigns(TestTokens.service("sohbet-partner-demo", "account"))).isEqualTo(401);
            assertThat(campaigns(TestTokens.person("sohbet-campaign", "mert", "marketer").with("typ", "ID"))).isEqualTo(401);
            // consent-service's account exports; it may not read campaigns
            assertThat(campaigns(TestTokens.service("sohbet-consent", "sohbet-campaign", "subject-export"))).isEqualTo(403);
            assertThat(campaigns(TestTokens.person("sohbet-campaign", "mert", "marketer"))).isEqualTo(200);
            assertThat(log.lines()).containsExactly(
                    "WARN refused 401 CampaignResource.list: not issued for this service (audience) (client sohbet-cli, unverified)",
                    "WARN refused 401 CampaignResource.list: not issued for this service (audience) (client sohbet-partner-demo, unverified)",
                    "WARN refused 401 CampaignResource.list: not an access token (typ ID) (client sohbet-cli, unverified)",
                    "WARN refused 403 CampaignResource.list: the caller has none of the operation's roles (client sohbet-consent)");
            assertThat(String.join("\n", log.lines())).doesNotContain("mert");
        }
    }
}
