package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.superuser;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every deletion, destruction and anonymisation, by a retention rule, by an erasure request (crypto-shredding included)
 * and by each participant's acknowledged erasure, is a KVKK destruction record in the audit chain, listed by the
 * periodic destruction report as JSON and CSV; the records hold no personal data and a changed one breaks the chain.
 */
@QuarkusTest
class DestructionRecordResourceTest {

    @Inject
    Pool pool;

    static List<Map<String, Object>> report(Instant from) {
        return given().auth().oauth2(officer()).queryParam("from", from.toString()).when().get("/api/destruction-records")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");
    }

    @Test
    void aRetentionRunRecordsEveryRuleWithItsCountMethodAndLegalReason() throws Throwable {
        Instant from = Instant.now();
        String raw = phone();
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":\"" + raw + "\",\"name\":\"Eski Müşteri\"}")
                .when().put("/api/identities").then().statusCode(200);
        sql(pool, "UPDATE identity SET seen_at = now() - interval '400 days' WHERE subject_id = $1", IDS.fromPhone(raw));
        given().auth().oauth2(officer()).when().post("/api/retention/run").then().statusCode(200);

        List<Map<String, Object>> records = report(from);
        assertThat(records).extracting(r -> r.get("reference")).contains("accessExportsDeleted",
                "contactsWithoutConsentDeleted", "supersededEvidenceDeleted", "processedEventsDeleted", "selfServiceMessagesDeleted",
                "expiredConfirmationsDeleted", "expiredPreferenceLinksDeleted");
        Map<String, Object> contacts = records.stream().filter(r -> r.get("reference").equals("contactsWithoutConsentDeleted"))
                .findFirst().orElseThrow();
        assertThat(((Number) contacts.get("records")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(contacts).containsEntry("method", "silme").containsEntry("category", "Kimlik, İletişim")
                .containsEntry("trigger", "retention-rule").containsEntry("actor", "zeynep")
                .containsEntry("dataset", "identity").containsEntry("service", "consent-service");
        assertThat((String) contacts.get("legalReason")).contains("periodic destruction").contains("PT8760H");
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'kvkk.destruction' AND subject_id IS NOT NULL"))
                .as("destruction records name no subject").isZero();

        // CSV, by Accept or by format=csv, with the regulation's column names
        String csv = given().auth().oauth2(officer()).accept("text/csv").queryParam("from", from.toString())
                .when().get("/api/destruction-records").then().statusCode(200).contentType("text/csv").extract().asString();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("İşlem Tarihi,İşlemi Yapan,Servis,Veri Kümesi,"
                + "Kişisel Veri Kategorisi,Kayıt Sayısı,Yöntem");
        assertThat(csv).contains(",consent-service,identity,\"Kimlik, İletişim\",").contains("contactsWithoutConsentDeleted");
        assertThat(given().auth().oauth2(officer()).queryParam("from", from.toString()).queryParam("format", "csv")
                .when().get("/api/destruction-records").then().statusCode(200).extract().asString().lines().count())
                .isEqualTo(csv.lines().count());
        // a period that ended before the run lists none of it
        assertThat(given().auth().oauth2(officer()).queryParam("from", "2020-01-01").queryParam("to", from.toString())
                .when().get("/api/destruction-records").then().statusCode(200).extract().jsonPath().getList("reference"))
                .doesNotContain("contactsWithoutConsentDeleted").hasSizeLessThan(records.size() + 1000);
    }

    @Test
    void anErasureRecordsTheDeletionTheCryptoShreddingAndEachParticipantsAcknowledgedDeletion() throws Throwable {
        Instant from = Instant.now();
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        DsrResourceTest.knownPerson(phone, "Destruction Test");
        String requestId;
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE)) {
            requestId = DsrResourceTest.submit("{\"type\":\"erasure\",\"phone\":\"" + phone + "\"}").then().statusCode(202)
                    .extract().path("id");
            for (String service : List.of("webhook-service", "metrics-service", "segment-service", "metrics-service", "campaign-service")) {
                kafka.send(Topics.PRIVACY_ERASURE_ACK, subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK, "ack:" + requestId + ":" + service,
                        "/sohbet/" + service, Instant.now(), subject, new PrivacyErasureAck(requestId, service, Instant.now(), 7)));
            }
        }
        List<Map<String, Object>> mine = List.of();
        for (long deadline = System.currentTimeMillis() + 30_000; mine.size() < 11 && System.currentTimeMillis() < deadline; Thread.sleep(200)) {
            mine = report(from).stream().filter(r -> requestId.equals(r.get("reference"))).toList();
        }
        assertThat(mine).extracting(r -> r.get("dataset") + "/" + r.get("method") + "/" + r.get("records")).containsExactly(
                "identity/silme/1", "subject_key/yok etme/1", "subject_identifier/silme/0", "consent_record/silme/1",
                "self_service_message, self_service_confirmation, self_service_reply/silme/0", "preference_link/silme/0",
                "dsr_request.export/silme/0",
                // a redelivered acknowledgement is recorded once (sent before the last one: the wait cannot end before it)
                "webhook-service subject data/silme/7", "metrics-service subject data/silme/7",
                "segment-service subject data/silme/7", "campaign-service subject data/silme/7");
        assertThat(mine).allSatisfy(r -> {
            assertThat(r).containsEntry("trigger", "erasure-request");
            assertThat((String) r.get("legalReason")).contains("erasure request " + requestId);
        });
        assertThat((String) mine.get(1).get("technique")).startsWith("crypto-shredding");
        assertThat(mine.get(0)).containsEntry("actor", "zeynep");
        assertThat(mine.get(7)).containsEntry("actor", "webhook-service");
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'kvkk.destruction' AND details LIKE $1",
                "%" + subject + "%")).as("no record names the subject").isZero();

        // tamper-evident: a record changed in the database breaks the chain (restored afterwards for the other tests)
        long seq = ((Number) mine.get(0).get("auditSeq")).longValue();
        try (Connection su = superuser(); Statement s = su.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + io.sohbet.consent.service.AuditLog.LOCK + ")"); // nothing is appended meanwhile
            try {
                s.execute("UPDATE audit_entry SET details = replace(details, '\"records\":1', '\"records\":0') WHERE seq = " + seq);
                JsonPath verified = given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200)
                        .extract().jsonPath();
                assertThat(verified.getBoolean("valid")).isFalse();
                assertThat(verified.getLong("firstInvalidSeq")).isEqualTo(seq);
            } finally {
                s.execute("UPDATE audit_entry SET details = replace(details, '\"records\":0', '\"records\":1') WHERE seq = " + seq);
                s.execute("SELECT pg_advisory_unlock(" + io.sohbet.consent.service.AuditLog.LOCK + ")");
            }
        }
        assertThat(given().auth().oauth2(officer()).when().get("/api/audit/verify").then().extract().jsonPath()
                .getBoolean("valid")).isTrue();
    }

    @Test
    void badPeriodsAndFormatsAre400AndTheReportNeedsAPrivacyRole() {
        for (String[] bad : new String[][] {{"from", "yesterday"}, {"to", "2026-13-01"}, {"format", "xml"},
                // parseable instants beyond PostgreSQL's timestamps (and Java's offsets) are the client's mistake, not a 500
                {"from", "-1000000000-01-01T00:00:00Z"}, {"to", "+300000-01-01T00:00:00Z"}, {"from", "-5000-01-01T00:00:00Z"}}) {
            given().auth().oauth2(officer()).queryParam(bad[0], bad[1]).when().get("/api/destruction-records")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        }
        given().auth().oauth2(officer()).queryParam("from", "2026-12-01").queryParam("to", "2026-11-01")
                .when().get("/api/destruction-records").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/from"));
        given().when().get("/api/destruction-records").then().statusCode(401);
        given().auth().oauth2(token("a", "marketer")).when().get("/api/destruction-records").then().statusCode(403);
        given().auth().oauth2(token("a", "admin")).when().get("/api/destruction-records").then().statusCode(200);
    }
}
