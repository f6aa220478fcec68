package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class ConsentResourceTest {

    private static final SubjectIds IDS = new SubjectIds("dev-pepper-not-for-production".getBytes(StandardCharsets.UTF_8));
    private static final String NOTICE = "{\"id\":\"kvkk-aydinlatma\",\"version\":\"2026-01\",\"sha256\":\"" + "ab".repeat(32) + "\"}";

    static String officer() {
        return TestTokens.person("sohbet-consent", "zeynep", "privacy-officer").sign();
    }

    static String grant(String phone) {
        return "{\"phone\":\"" + phone + "\",\"purpose\":\"marketing\",\"state\":\"granted\",\"source\":\"web-form\","
                + "\"notice\":" + NOTICE + ",\"capturedAt\":\"2026-11-01T09:00:00Z\","
                + "\"evidence\":{\"ip\":\"203.0.113.7\",\"userAgent\":\"Mozilla/5.0\"}}";
    }

    @Test
    void grantsAndRevocationsAreKeptWithProofAndTheLatestIsCurrent() {
        String phone = "0532 555 " + (10 + (int) (Math.random() * 89)) + " " + (10 + (int) (Math.random() * 89));
        String subject = IDS.fromPhone(phone);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone))
                .when().post("/api/consents").then().statusCode(201)
                .header("Location", endsWith("/api/consents/" + subject))
                .body("state", equalTo("granted")).body("recordedBy", equalTo("zeynep")).body("evidence", equalTo(true));
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + phone + "\",\"purpose\":\"marketing\",\"state\":\"revoked\",\"source\":\"admin\"}")
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body(grant(phone).replace("marketing", "analytics")).when().post("/api/consents").then().statusCode(201);

        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("history", hasSize(3))
                .body("history.state", hasItems("granted", "revoked"))
                .body("history[0].noticeSha256", equalTo("ab".repeat(32)))
                .body("history[0].capturedAt", equalTo("2026-11-01T09:00:00Z"))
                .body("current", hasSize(2))
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"))
                .body("current.find { it.purpose == 'analytics' }.state", equalTo("granted"))
                .body(org.hamcrest.Matchers.not(containsString("203.0.113.7")));
    }

    @Test
    void everyChangeGoesOutAsConsentChangeThroughTheOutbox() {
        String phone = "0532 444 " + (10 + (int) (Math.random() * 89)) + " " + (10 + (int) (Math.random() * 89));
        String subject = IDS.fromPhone(phone);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CONSENT_CHANGE)) {
            given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone))
                    .when().post("/api/consents").then().statusCode(201);
            var change = kafka.await(1, r -> subject.equals(r.key()), Duration.ofSeconds(20)).get(0).value();
            assertThat(change.type()).isEqualTo("sohbet.consent.change.v1");
            ConsentChange payload = change.dataAs(ConsentChange.class);
            assertThat(payload.purpose()).isEqualTo("marketing");
            assertThat(payload.state()).isEqualTo("granted");
            assertThat(change.data().toString()).doesNotContain("203.0.113.7", "0532");
        }
    }

    @Test
    void aGrantWithoutTheNoticeOrWithBadFieldsIs400() {
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"05321234567\",\"purpose\":\"marketing\",\"state\":\"granted\",\"source\":\"web-form\"}")
                .when().post("/api/consents").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/notice"));
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"05321234567\",\"purpose\":\"spam\",\"state\":\"maybe\",\"source\":\"web-form\","
                        + "\"notice\":{\"id\":\"n\",\"version\":\"1\",\"sha256\":\"XYZ\"},\"capturedAt\":\"2999-01-01T00:00:00Z\"}")
                .when().post("/api/consents").then().statusCode(400)
                .body("errors.pointer", hasItems("/purpose", "/state", "/notice/sha256", "/capturedAt"));
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant("12345"))
                .when().post("/api/consents").then().statusCode(400).body("errors[0].pointer", equalTo("/phone"));
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":")
                .when().post("/api/consents").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void rolesAreEnforced() {
        given().contentType(ContentType.JSON).body(grant("05321234567")).when().post("/api/consents").then().statusCode(401);
        given().auth().oauth2(TestTokens.person("sohbet-consent", "mert", "marketer").sign())
                .contentType(ContentType.JSON).body(grant("05321234567")).when().post("/api/consents")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(TestTokens.person("sohbet-consent", "mert", "analyst").sign())
                .when().get("/api/consents/" + IDS.fromPhone("05321234567")).then().statusCode(403);
    }

    @Test
    void unknownSubjectsAre404() {
        given().auth().oauth2(officer()).when().get("/api/consents/" + IDS.fromPhone("05329998877"))
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }
}
