package io.sohbet.consent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sohbet.consent.service.AuditKeys;
import io.sohbet.devstack.TestTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.rest.ContactResolveResourceTest.consent;
import static io.sohbet.consent.rest.ContactResolveResourceTest.contact;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every read of personal data leaves an audit entry with who read (user and OIDC client), what and how many; a contact
 * resolution names the subjects it handed out by keyed hashes, so "who received my number, when" has an answer.
 */
@QuarkusTest
class AuditedReadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AuditKeys keys;

    /** A client-credentials token as Keycloak issues one: a service account user, the client in azp. */
    static String clientToken(String client) {
        return TestTokens.service(client, "sohbet-consent", "contacts:resolve").sign();
    }

    static List<Map<String, Object>> auditOf(String subject) {
        return given().auth().oauth2(officer()).when().get("/api/audit?subjectId=" + subject).then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    static JsonNode details(Map<String, Object> entry) throws Exception {
        return JSON.readTree((String) entry.get("details"));
    }

    @Test
    void whoReceivedANumberAndWhenIsAnsweredByTheSubjectsKeyedHash() throws Exception {
        String handedOut = phone();
        String withheld = phone();
        consent(handedOut, "granted");
        contact(handedOut, "Elif Şahin");
        contact(withheld, "Can Demir");
        String subject = IDS.fromPhone(handedOut);
        String other = IDS.fromPhone(withheld);
        given().auth().oauth2(clientToken("sohbet-campaign")).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[\"" + subject + "\",\"" + other + "\"]}")
                .when().post("/internal/contacts/resolve").then().statusCode(200);

        List<Map<String, Object>> resolutions = auditOf(subject).stream()
                .filter(e -> e.get("action").equals("contacts.resolved")).toList();
        assertThat(resolutions).hasSize(1);
        Map<String, Object> resolution = resolutions.get(0);
        assertThat(resolution.get("actor")).isEqualTo("service-account-sohbet-campaign");
        assertThat(resolution.get("at")).isNotNull();
        JsonNode details = details(resolution);
        assertThat(details.get("client").asText()).isEqualTo("sohbet-campaign");
        assertThat(details.get("purpose").asText()).isEqualTo("marketing");
        assertThat(details.get("asked").asInt()).isEqualTo(2);
        assertThat(details.get("resolved").asInt()).isEqualTo(1);
        // named by the HMAC under the audit key, never by the subject id (nor a plain hash of it)
        assertThat(details.get("subjects")).hasSize(1);
        assertThat(details.get("subjects").get(0).asText()).isEqualTo(keys.subjectRef(keys.activeId(), subject));
        assertThat((String) resolution.get("details")).doesNotContain(subject).doesNotContain(other);
        // the person withheld (no consent) was handed nothing, so no resolution names them
        assertThat(auditOf(other)).noneMatch(e -> e.get("action").equals("contacts.resolved"));
    }

    @Test
    void historyIdentityAndRequestReadsAreAuditedWithWhoWhatAndHowMany() throws Exception {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        consent(phone, "granted");
        consent(phone, "revoked");
        contact(phone, "Deniz Kaya");
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/api/identities/" + subject).then().statusCode(200);
        String request = given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"type\":\"objection\",\"subjectId\":\"" + subject + "\"}").when().post("/api/dsr")
                .then().statusCode(202).extract().path("id");
        given().auth().oauth2(officer()).when().get("/api/dsr/" + request).then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/api/dsr?subjectId=" + subject).then().statusCode(200);
        JsonPath all = given().auth().oauth2(officer()).when().get("/api/dsr?limit=500").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("subjectId")).contains(subject);

        List<Map<String, Object>> entries = auditOf(subject);
        assertThat(entries).extracting(e -> e.get("action")).contains("consent.history-read", "identity.read", "dsr.read",
                "dsr.listed");
        for (Map<String, Object> e : entries) {
            if (List.of("consent.history-read", "identity.read", "dsr.read", "dsr.listed").contains(e.get("action"))) {
                assertThat(e.get("actor")).as("who read").isEqualTo("zeynep");
            }
        }
        assertThat(details(entry(entries, "consent.history-read")).get("entries").asInt()).isEqualTo(2);
        assertThat(details(entry(entries, "identity.read")).get("fields").asInt()).isEqualTo(2);
        assertThat(details(entry(entries, "dsr.read")).get("request").asText()).isEqualTo(request);
        // the unfiltered list names every subject it showed by keyed hash, this one among them
        assertThat(entries.stream().filter(e -> e.get("action").equals("dsr.listed") && e.get("subjectId") == null))
                .anySatisfy(e -> assertThat(details(e).get("subjects").toString())
                        .contains(keys.subjectRef(keys.activeId(), subject)));
    }

    @Test
    void readingAnAccessExportIsAuditedWithTheClientAndHowManyServices() throws Exception {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        DsrResourceTest.knownPerson(phone, "Sevgi Açıkgöz");
        io.restassured.response.Response accepted = DsrResourceTest.submit("{\"type\":\"access\",\"phone\":\"" + phone + "\"}");
        accepted.then().statusCode(202);
        DsrResourceTest.await(accepted.header("Location"), "completed").then().body("status", org.hamcrest.Matchers.equalTo("completed"));
        String request = accepted.path("id");
        int services = given().auth().oauth2(officer()).when().get("/api/dsr/" + request + "/export").then().statusCode(200)
                .extract().jsonPath().getMap("services").size();

        Map<String, Object> read = entry(auditOf(subject), "dsr.access.export-read");
        assertThat(read.get("actor")).as("who read").isEqualTo("zeynep");
        JsonNode details = details(read);
        assertThat(details.get("client").asText()).as("through which client").isEqualTo("sohbet-cli");
        assertThat(details.get("request").asText()).isEqualTo(request);
        assertThat(details.get("services").asInt()).as("how many services' data").isEqualTo(services).isEqualTo(4);
    }

    @Test
    void aPageOfTheAuditLogIsAReadOfThePeopleItsEntriesAreAbout() throws Exception {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        consent(phone, "granted");
        List<Map<String, Object>> page = given().auth().oauth2(officer()).when().get("/api/audit?limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertThat(page).extracting(e -> e.get("subjectId")).contains(subject);

        Map<String, Object> listed = entry(auditOf(subject), "audit.listed");
        assertThat(listed.get("actor")).as("who read").isEqualTo("zeynep");
        assertThat(listed.get("subjectId")).isNull();
        JsonNode details = details(listed);
        assertThat(details.get("client").asText()).isEqualTo("sohbet-cli");
        assertThat(details.get("entries").asInt()).isEqualTo(page.size());
        assertThat(details.get("subjects").toString()).contains(keys.subjectRef(keys.activeId(), subject))
                .doesNotContain(subject);
    }

    private static Map<String, Object> entry(List<Map<String, Object>> entries, String action) {
        return entries.stream().filter(e -> e.get("action").equals(action)).findFirst().orElseThrow();
    }
}
