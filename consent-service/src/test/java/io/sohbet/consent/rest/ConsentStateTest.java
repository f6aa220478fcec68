package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.NOTICE;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * A purpose's current state is the choice the person made last (latest capture time; ties: recorded last), for reads,
 * contact resolution, access exports and consent.change, whatever the order the entries were recorded in.
 */
@QuarkusTest
class ConsentStateTest {

    static String entry(String phone, String purpose, String state, Instant capturedAt) {
        return "{\"phone\":\"" + phone + "\",\"purpose\":\"" + purpose + "\",\"state\":\"" + state + "\",\"source\":\""
                + (state.equals("granted") ? "web-form" : "admin") + "\"" + (state.equals("granted") ? ",\"notice\":" + NOTICE : "")
                + ",\"capturedAt\":\"" + capturedAt + "\"}";
    }

    static void record(String body) {
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(body).when().post("/api/consents").then().statusCode(201);
    }

    static Response resolve(String subject) {
        return given().auth().oauth2(service()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[\"" + subject + "\"]}").when().post("/internal/contacts/resolve");
    }

    @Test
    void anOlderGrantImportedAfterARevocationIsHistoryEverywhere() throws InterruptedException {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        Instant granted = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CONSENT_CHANGE)) {
            record(entry(phone, "marketing", "granted", granted));
            given().auth().oauth2(officer()).contentType(ContentType.JSON)
                    .body("{\"phone\":\"" + phone + "\",\"name\":\"Derya Geç\"}").when().put("/api/identities").then().statusCode(200);
            record("{\"phone\":\"" + phone + "\",\"purpose\":\"marketing\",\"state\":\"revoked\",\"source\":\"admin\"}");
            // an import brings a grant the person gave in 2025, long before they revoked today
            given().auth().oauth2(officer()).contentType(ContentType.JSON)
                    .body("[" + entry(phone, "marketing", "granted", Instant.parse("2025-06-01T10:00:00Z")).replace("web-form", "import") + "]")
                    .when().post("/api/consents/import").then().statusCode(200).body("recorded", equalTo(1));
            // a later change of another purpose closes the subject's stream of announcements
            record(entry(phone, "analytics", "granted", Instant.now().truncatedTo(ChronoUnit.SECONDS)));

            List<ConsumerRecord<String, CloudEvent>> changes = kafka.await(3, r -> subject.equals(r.key()), Duration.ofSeconds(20));
            assertThat(changes).extracting(r -> r.value().dataAs(ConsentChange.class))
                    .extracting(c -> c.purpose() + ":" + c.state())
                    .as("the imported older grant announces nothing: downstream keeps 'revoked'")
                    .containsExactly("marketing:granted", "marketing:revoked", "analytics:granted");
        }

        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"))
                .body("history", hasSize(4))
                .body("history.findAll { it.purpose == 'marketing' }.state", contains("granted", "granted", "revoked"))
                .body("history[0].capturedAt", equalTo("2025-06-01T10:00:00Z"));
        resolve(subject).then().statusCode(200).body("contacts", hasSize(0))
                .body("withheld[0].reason", equalTo("no-consent"));

        Response accepted = given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"type\":\"access\",\"phone\":\"" + phone + "\"}").when().post("/api/dsr");
        accepted.then().statusCode(202);
        DsrResourceTest.await(accepted.header("Location"), "completed").then().body("status", equalTo("completed"));
        given().auth().oauth2(officer()).when().get("/api/dsr/" + accepted.path("id") + "/export").then().statusCode(200)
                .body("services.'consent-service'.consents.findAll { it.purpose == 'marketing' }.state",
                        contains("granted", "granted", "revoked"))
                .body("services.consent-service.consents[0].capturedAt", equalTo("2025-06-01T10:00:00Z"))
                .body("services.'consent-service'.currentConsents.find { it.purpose == 'marketing' }.state", equalTo("revoked"))
                .body("services.'consent-service'.currentConsents.find { it.purpose == 'analytics' }.state", equalTo("granted"));
    }

    @Test
    void entriesCapturedAtTheSameInstantGoToTheOneRecordedLast() {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        Instant at = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + phone + "\",\"name\":\"Eşit Zaman\"}").when().put("/api/identities").then().statusCode(200);
        record(entry(phone, "marketing", "granted", at));
        record(entry(phone, "marketing", "revoked", at));
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then()
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"));
        resolve(subject).then().body("contacts", hasSize(0));

        record(entry(phone, "marketing", "granted", at));
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then()
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("granted"));
        resolve(subject).then().body("contacts", hasSize(1)).body("contacts[0].firstName", equalTo("Eşit"));

        // a revocation captured a second earlier is recorded, but the grant stays current
        record(entry(phone, "marketing", "revoked", at.minusSeconds(1)));
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then()
                .body("history", hasSize(4))
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("granted"));
        resolve(subject).then().body("contacts", hasSize(1));
    }
}
