package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.token;
import static io.sohbet.consent.rest.ContactResolveResourceTest.consent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** A privacy officer looks a person's consent up by phone (in the body), with proof and history; audited; nothing more on a miss. */
@QuarkusTest
class SubjectLookupResourceTest {

    static io.restassured.response.Response lookup(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post("/api/subjects/lookup");
    }

    /** {@code 0532 123 45 67} → {@code +90 532 123 45 67}. */
    static String international(String local) {
        return "+90 " + local.substring(1);
    }

    @Test
    void aPhoneGivesTheSubjectsConsentWithProofAndHistoryAndTheLookupIsAudited() throws Exception {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        consent(phone, "granted");
        consent(phone, "revoked");

        lookup(officer(), "{\"phone\":\"" + international(phone) + "\"}").then().statusCode(200)
                .body("subjectId", equalTo(subject))
                .body("history", hasSize(2))
                .body("history[0].state", equalTo("granted"))
                .body("history[0].noticeSha256", equalTo("ab".repeat(32)))
                .body("history[0].evidence", equalTo(true))
                .body("current", hasSize(1))
                .body("current[0].state", equalTo("revoked"))
                .body(not(containsString(phone.replace(" ", "").substring(1))));
        // written locally with its country: the same person
        lookup(officer(), "{\"phone\":\"" + phone + "\",\"country\":\"TR\"}").then().statusCode(200).body("subjectId", equalTo(subject));

        List<Map<String, Object>> lookups = AuditedReadsTest.auditOf(subject).stream()
                .filter(e -> e.get("action").equals("consent.lookup")).toList();
        assertThat(lookups).hasSize(2).allSatisfy(e -> assertThat(e.get("actor")).isEqualTo("zeynep"));
        assertThat(AuditedReadsTest.details(lookups.get(0)).get("entries").asInt()).isEqualTo(2);
        assertThat(lookups.get(0).get("details").toString()).doesNotContain(phone.replace(" ", "").substring(1));
    }

    @Test
    void aNumberWithNoConsentIsA404ThatSaysNothingMore() {
        String phone = phone();
        lookup(officer(), "{\"phone\":\"" + international(phone) + "\"}").then().statusCode(404)
                .contentType("application/problem+json")
                .body(not(containsString(IDS.fromPhone(phone))))
                .body(not(containsString(phone.replace(" ", "").substring(1))));
    }

    @Test
    void aMissingOrUnreadablePhoneOrCountryIsA400WithItsPointer() {
        lookup(officer(), "{}").then().statusCode(400).contentType("application/problem+json");
        lookup(officer(), "{\"phone\":\"not a phone\"}").then().statusCode(400).contentType("application/problem+json")
                .body(containsString("/phone"));
        lookup(officer(), "{\"phone\":\"0532 123 45 67\",\"country\":\"tr\"}").then().statusCode(400)
                .contentType("application/problem+json");
        lookup(officer(), "{\"phone\":\"+90 532 123 45 67\",\"country\":\"DE\"}").then().statusCode(400)
                .contentType("application/problem+json").body(containsString("/country"));
        lookup(officer(), "{\"phone\":\"" + "1".repeat(41) + "\"}").then().statusCode(400).contentType("application/problem+json");
        lookup(officer(), "not json").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void onlyPrivacyOfficersAndAdminsMayLookUpAndNobodyWithoutAToken() {
        String body = "{\"phone\":\"+90 532 123 45 67\"}";
        given().contentType(ContentType.JSON).body(body).when().post("/api/subjects/lookup").then().statusCode(401);
        lookup(token("mert", "marketer"), body).then().statusCode(403);
        lookup(token("ayla", "analyst"), body).then().statusCode(403);
        assertThat(lookup(token("ada", "admin"), body).statusCode()).isIn(200, 404);
    }
}
