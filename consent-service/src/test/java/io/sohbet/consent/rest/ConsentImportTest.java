package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static io.sohbet.consent.Fixtures.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class ConsentImportTest {

    static final String SHA = "cd".repeat(32);

    @Test
    void aCsvIsImportedRowByRowWithAReportAndReimportingChangesNothing() {
        String a = phone();
        String b = phone();
        String csv = "phone,purpose,state,notice_id,notice_version,notice_sha256,captured_at,evidence_ip\n"
                + a + ",marketing,granted,kvkk,2026-01," + SHA + ",2026-10-01T08:00:00Z,198.51.100.4\n"
                + "\"" + b + "\",analytics,granted,kvkk,2026-01," + SHA + ",2026-10-01T08:00:00Z,\n"
                + "12,marketing,granted,kvkk,2026-01," + SHA + ",2026-10-01T08:00:00Z,\n"
                + a + ",spam,granted,,,,yesterday,\n"
                + b + ",marketing,revoked,,,,2026-10-02T08:00:00Z,\n";
        given().auth().oauth2(officer()).contentType("text/csv").body(csv).when().post("/api/consents/import")
                .then().statusCode(200)
                .body("total", equalTo(5)).body("recorded", equalTo(3)).body("rejected", equalTo(2))
                .body("rows[0].status", equalTo("recorded")).body("rows[0].subjectId", equalTo(IDS.fromPhone(a)))
                .body("rows[2].status", equalTo("rejected")).body("rows[2].errors[0].pointer", equalTo("/phone"))
                .body("rows[3].errors.pointer", hasItems("/captured_at", "/notice", "/purpose"));
        given().auth().oauth2(officer()).contentType("text/csv").body(csv).when().post("/api/consents/import")
                .then().statusCode(200).body("recorded", equalTo(0)).body("duplicates", equalTo(3));
        given().auth().oauth2(officer()).when().get("/api/consents/" + IDS.fromPhone(a)).then().statusCode(200)
                .body("history.size()", equalTo(1)).body("history[0].source", equalTo("import"))
                .body("history[0].evidence", equalTo(true));
        given().auth().oauth2(officer()).when().get("/api/consents/" + IDS.fromPhone(b)).then().statusCode(200)
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"));
    }

    @Test
    void aJsonArrayIsImportedWithPerRowErrors() {
        String a = phone();
        String notice = "\"notice\":{\"id\":\"n\",\"version\":\"1\",\"sha256\":\"" + SHA + "\"}";
        String body = "[{\"phone\":\"" + a + "\",\"purpose\":\"marketing\",\"state\":\"granted\",\"source\":\"shop\","
                + notice + ",\"capturedAt\":\"2026-10-01T08:00:00Z\"},"
                + "{\"phone\":\"" + a + "\",\"purpose\":\"marketing\",\"state\":\"granted\",\"capturedAt\":\"yesterday\"},"
                + "{\"phone\":\"" + a + "\",\"purpose\":\"marketing\",\"state\":\"granted\",\"capturedAt\":\"2026-10-01T08:00:00Z\"},"
                + "{\"phone\":\"" + a + "\",\"purpose\":\"marketing\",\"state\":\"granted\"," + notice + "}]";
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(body).when().post("/api/consents/import")
                .then().statusCode(200).body("recorded", equalTo(1)).body("rejected", equalTo(3))
                .body("rows[0].status", equalTo("recorded"))
                .body("rows[1].errors[0].pointer", equalTo("/capturedAt"))
                .body("rows[2].errors[0].pointer", equalTo("/notice"))
                // without the time of the choice, an old system's grant would be dated now and outrank a STOP since
                .body("rows[3].errors.pointer", equalTo(java.util.List.of("/capturedAt")));
    }

    @Test
    void unreadableFilesAre400AndOnlyPrivacyRolesImport() {
        given().auth().oauth2(officer()).contentType("text/csv").body("phone,purpose,state,colour\n1,2,3,4\n")
                .when().post("/api/consents/import").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(officer()).contentType("text/csv").body("phone,purpose\n05321112233,marketing\n")
                .when().post("/api/consents/import").then().statusCode(400);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":1}")
                .when().post("/api/consents/import").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("[{")
                .when().post("/api/consents/import").then().statusCode(400);
        given().auth().oauth2(service()).contentType(ContentType.JSON).body("[]")
                .when().post("/api/consents/import").then().statusCode(403);
        given().contentType(ContentType.JSON).body("[]").when().post("/api/consents/import").then().statusCode(401);
    }
}
