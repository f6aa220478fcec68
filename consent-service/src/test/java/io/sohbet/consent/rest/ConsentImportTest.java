package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.micrometer.core.instrument.MeterRegistry;
import io.sohbet.consent.Fixtures;
import io.sohbet.kit.Problem;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
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

    @Inject
    MeterRegistry registry;

    @Test
    void aLargeImportIsRecordedInChunksAndFindsTheDuplicatesWithinTheFile() throws Throwable {
        double rowByRowBefore = registry.counter("sohbet.consent.import.chunks.row.by.row").count();
        StringBuilder csv = new StringBuilder("phone,purpose,state,notice_id,notice_version,notice_sha256,captured_at\n");
        java.util.List<String> phones = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            phones.add(phone());
        }
        for (int i = 0; i < 250; i++) {
            csv.append(phones.get(i)).append(",marketing,granted,kvkk,2026-01,").append(SHA).append(",2026-10-01T08:00:00Z\n");
        }
        // row 251 repeats row 250 within the same chunk (rows 201-252), row 252 repeats row 1 of the first chunk; row 253 is rejected
        csv.append(phones.get(249)).append(",marketing,granted,kvkk,2026-01,").append(SHA).append(",2026-10-01T08:00:00Z\n");
        csv.append(phones.get(0)).append(",marketing,granted,kvkk,2026-01,").append(SHA).append(",2026-10-01T08:00:00Z\n");
        csv.append("12,marketing,granted,kvkk,2026-01,").append(SHA).append(",2026-10-01T08:00:00Z\n");
        given().auth().oauth2(officer()).contentType("text/csv").body(csv.toString()).when().post("/api/consents/import")
                .then().statusCode(200)
                .body("total", equalTo(253)).body("recorded", equalTo(250)).body("duplicates", equalTo(2)).body("rejected", equalTo(1))
                .body("rows[249].status", equalTo("recorded")).body("rows[250].status", equalTo("duplicate"))
                .body("rows[251].status", equalTo("duplicate")).body("rows[252].status", equalTo("rejected"))
                .body("rows[252].row", equalTo(253)).body("rows[100].subjectId", equalTo(IDS.fromPhone(phones.get(100))));
        assertThat(registry.counter("sohbet.consent.import.chunks.row.by.row").count())
                .as("every chunk committed as a whole").isEqualTo(rowByRowBefore);
        given().auth().oauth2(officer()).when().get("/api/consents/" + IDS.fromPhone(phones.get(0))).then().statusCode(200)
                .body("history.size()", equalTo(1));

        // every entry audited, in the chunk's transaction, but at its end: the audit chain's lock, which every audited read
        // waits for, is not held while the chunk's rows are recorded
        for (java.util.List<String> chunk : java.util.List.of(phones.subList(0, 100), phones.subList(100, 200), phones.subList(200, 250))) {
            String[] subjects = chunk.stream().map(IDS::fromPhone).toArray(String[]::new);
            io.vertx.mutiny.sqlclient.Row times = Fixtures.sql(pool, "SELECT (SELECT count(*) FROM audit_entry WHERE action = 'consent.granted' "
                    + "AND subject_id = ANY($1) AND details LIKE '{\"channel\":\"whatsapp\",\"entry\":%'), "
                    + "(SELECT min(at) FROM audit_entry WHERE action = 'consent.granted' AND subject_id = ANY($1)), "
                    + "(SELECT max(recorded_at) FROM consent_record WHERE subject_id = ANY($1))", (Object) subjects).iterator().next();
            assertThat(times.getLong(0)).as("an audit entry per recorded row").isEqualTo(chunk.size());
            assertThat(times.getOffsetDateTime(1)).as("the chunk's first audit entry after its last ledger entry")
                    .isAfterOrEqualTo(times.getOffsetDateTime(2));
        }
        assertThat(given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200).extract().jsonPath()
                .getBoolean("valid")).as("the chain intact").isTrue();
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aChunkThatFailsInTheDatabaseIsRecordedRowByRowAndEachRowIsAuditedOnce() throws Throwable {
        double rowByRowBefore = registry.counter("sohbet.consent.import.chunks.row.by.row").count();
        String a = phone();
        String b = phone();
        String c = phone();
        // a rule only the database sees (as a constraint added by a later migration would be): b's entry is refused, at
        // the commit (a deferred constraint trigger), so after the chunk has written its audit entries
        String fault = "import_test_fault_" + Long.toHexString(System.nanoTime());
        try (java.sql.Connection su = Fixtures.superuser(); java.sql.Statement st = su.createStatement()) {
            st.execute("CREATE FUNCTION " + fault + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "RAISE EXCEPTION 'injected fault'; END $$");
            st.execute("CREATE CONSTRAINT TRIGGER " + fault + " AFTER INSERT ON consent_record DEFERRABLE INITIALLY DEFERRED "
                    + "FOR EACH ROW WHEN (NEW.notice_version = '" + fault + "') EXECUTE FUNCTION " + fault + "()");
        }
        try {
            String csv = "phone,purpose,state,notice_id,notice_version,notice_sha256,captured_at\n"
                    + a + ",marketing,granted,kvkk,2026-01," + SHA + ",2026-10-01T08:00:00Z\n"
                    + b + ",marketing,granted,kvkk," + fault + "," + SHA + ",2026-10-01T08:00:00Z\n"
                    + c + ",marketing,granted,kvkk,2026-01," + SHA + ",2026-10-01T08:00:00Z\n";
            given().auth().oauth2(officer()).contentType("text/csv").body(csv).when().post("/api/consents/import")
                    .then().statusCode(200)
                    .body("recorded", equalTo(2)).body("rejected", equalTo(1))
                    .body("rows[0].status", equalTo("recorded")).body("rows[2].status", equalTo("recorded"))
                    .body("rows[1].status", equalTo("rejected"))
                    .body("rows[1].errors[0].detail", org.hamcrest.Matchers.startsWith("could not be recorded"));
        } finally {
            try (java.sql.Connection su = Fixtures.superuser(); java.sql.Statement st = su.createStatement()) {
                st.execute("DROP TRIGGER IF EXISTS " + fault + " ON consent_record");
                st.execute("DROP FUNCTION IF EXISTS " + fault + "()");
            }
        }
        assertThat(registry.counter("sohbet.consent.import.chunks.row.by.row").count())
                .as("the chunk failed as a whole once, then went row by row").isEqualTo(rowByRowBefore + 1);
        // the chunk's audit entries were rolled back with it: each recorded row audited once (by its own transaction),
        // the refused row neither recorded nor audited
        java.util.List<String> rows = java.util.List.of(a, b, c);
        for (int i = 0; i < rows.size(); i++) {
            String subject = IDS.fromPhone(rows.get(i));
            long expected = i == 1 ? 0 : 1;
            assertThat(Fixtures.count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1", subject))
                    .as("ledger entries of row " + (i + 1)).isEqualTo(expected);
            assertThat(Fixtures.count(pool, "SELECT count(*) FROM audit_entry WHERE subject_id = $1 AND action LIKE 'consent.%'",
                    subject)).as("audit entries of row " + (i + 1)).isEqualTo(expected);
        }
        assertThat(given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200).extract().jsonPath()
                .getBoolean("valid")).as("the chain intact").isTrue();
    }

    @Test
    void aNulCharacterRejectsItsRowNotTheImport() {
        String a = phone();
        String b = phone();
        String csv = "phone,purpose,state,notice_id,notice_version,notice_sha256,captured_at,evidence_user_agent\n"
                + a + ",marketing,granted,kv\u0000kk,2026-01," + SHA + ",2026-10-01T08:00:00Z,\n"
                + b + ",marketing,granted,kvkk,2026-01," + SHA + ",2026-10-01T08:00:00Z,Mozi\u0000lla\n";
        given().auth().oauth2(officer()).contentType("text/csv").body(csv).when().post("/api/consents/import")
                .then().statusCode(200).body("recorded", equalTo(0)).body("rejected", equalTo(2))
                .body("rows[0].errors[0].pointer", equalTo("/notice/id"))
                .body("rows[1].errors[0].pointer", equalTo("/evidence/userAgent"));
        String json = "[{\"phone\":\"" + a + "\",\"purpose\":\"marketing\",\"state\":\"granted\",\"notice\":{\"id\":\"kv\\u0000kk\","
                + "\"version\":\"1\",\"sha256\":\"" + SHA + "\"},\"capturedAt\":\"2026-10-01T08:00:00Z\"},"
                + "{\"phone\":\"" + b + "\",\"purpose\":\"marketing\",\"state\":\"revoked\",\"capturedAt\":\"2026-10-01T08:00:00Z\"},"
                // before PostgreSQL's first timestamp: refused by the check, not by the database mid-import
                + "{\"phone\":\"" + b + "\",\"purpose\":\"analytics\",\"state\":\"revoked\",\"capturedAt\":\"-5000-01-01T00:00:00Z\"}]";
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(json).when().post("/api/consents/import")
                .then().statusCode(200).body("recorded", equalTo(1)).body("rejected", equalTo(2))
                .body("rows[0].errors.pointer", equalTo(java.util.List.of("/notice/id")))
                .body("rows[1].status", equalTo("recorded"))
                .body("rows[2].errors.pointer", equalTo(java.util.List.of("/capturedAt")));
        // and the single call: 400, not a database error
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":\"" + b + "\",\"purpose\":\"analytics\","
                + "\"state\":\"revoked\",\"source\":\"admin\",\"capturedAt\":\"-5000-01-01T00:00:00Z\"}")
                .when().post("/api/consents").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
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
