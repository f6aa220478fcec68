package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.devstack.CapturedLog;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Only tokens issued for consent-service (audience {@code sohbet-consent}), access tokens only, from the realm's
 * issuer; each service only the operations it needs. Every refusal is a problem and one log line without the person.
 */
@QuarkusTest
class AccessTest {

    static final String RESOLVE = "{\"purpose\":\"marketing\",\"subjectIds\":[\"aaaaaaaaaaaaaaaaaaaa\"]}";

    static int resolve(Object token) {
        var answer = given().auth().oauth2(token.toString()).contentType(ContentType.JSON).body(RESOLVE)
                .when().post("/internal/contacts/resolve").then().extract();
        if (answer.statusCode() >= 400) {
            assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        }
        return answer.statusCode();
    }

    @Test
    void tokensNotIssuedForThisServiceAreRefused() {
        try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) {
            // a token for another service, a partner client's token (no audience of ours), an ID token, another issuer
            assertThat(resolve(TestTokens.service("sohbet-campaign", "sohbet-metrics", "contacts:resolve"))).isEqualTo(401);
            assertThat(resolve(TestTokens.service("sohbet-partner-demo", "sohbet-partner-demo", "contacts:resolve")
                    .with("aud", "account"))).isEqualTo(401);
            assertThat(resolve(TestTokens.service("sohbet-campaign", "sohbet-consent", "contacts:resolve").with("typ", "ID")))
                    .isEqualTo(401);
            assertThat(resolve(TestTokens.service("sohbet-campaign", "sohbet-consent", "contacts:resolve")
                    .with("iss", "https://elsewhere.example.com"))).isEqualTo(401);
            assertThat(resolve(TestTokens.service("sohbet-campaign", "sohbet-consent", "contacts:resolve").without("typ")))
                    .isEqualTo(401);
            given().auth().oauth2(TestTokens.person("sohbet-segment", "zeynep", "privacy-officer").sign())
                    .when().get("/api/dsr").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                    .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
            assertThat(log.lines()).containsExactly(
                    "WARN refused 401 ContactResolveResource.resolve: not issued for this service (audience) (client sohbet-campaign, unverified)",
                    "WARN refused 401 ContactResolveResource.resolve: not issued for this service (audience) (client sohbet-partner-demo, unverified)",
                    "WARN refused 401 ContactResolveResource.resolve: not an access token (typ ID) (client sohbet-campaign, unverified)",
                    "WARN refused 401 ContactResolveResource.resolve: invalid signature or issuer (client sohbet-campaign, unverified)",
                    "WARN refused 401 ContactResolveResource.resolve: not an access token (typ ?) (client sohbet-campaign, unverified)",
                    "WARN refused 401 DsrResource.list: not issued for this service (audience) (client sohbet-cli, unverified)");
        }
    }

    @Test
    void eachServiceMayCallOnlyItsOwnOperations() {
        try (CapturedLog log = CapturedLog.of("io.sohbet.kit.Refusals")) {
            // webhook-service's account creates keys; it may not resolve contacts, nor ask for an access request's export
            String webhook = TestTokens.service("sohbet-webhook", "sohbet-consent", "subject-keys:create", "subject-keys:read").sign();
            assertThat(resolve(webhook)).isEqualTo(403);
            given().auth().oauth2(webhook).when().get("/api/dsr").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
            given().auth().oauth2(service()).contentType(ContentType.JSON).body("{\"phone\":\"05321112233\",\"name\":\"Ayşe\"}")
                    .when().put("/api/identities").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
            // a person with a role is not a service
            assertThat(resolve(officer())).isEqualTo(403);
            assertThat(resolve(service())).as("campaign-service's own operation").isNotIn(401, 403);
            List<String> lines = log.lines();
            assertThat(lines).containsExactly(
                    "WARN refused 403 ContactResolveResource.resolve: the caller has none of the operation's roles (client sohbet-webhook)",
                    "WARN refused 403 DsrResource.list: the caller has none of the operation's roles (client sohbet-webhook)",
                    "WARN refused 403 IdentityResource.put: the caller has none of the operation's roles (client sohbet-campaign)",
                    "WARN refused 403 ContactResolveResource.resolve: the caller has none of the operation's roles (client sohbet-cli)");
            assertThat(String.join("\n", lines)).doesNotContain("zeynep", "0532", "Ayşe", "aaaaaaaaaaaaaaaaaaaa");
        }
    }
}
