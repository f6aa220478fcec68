package io.sohbet.consent.iys;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sohbet.devstack.iys.IysSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static io.sohbet.consent.iys.IysSyncTest.await;
import static io.sohbet.consent.iys.IysSyncTest.consent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The ledger compared with İYS (devstack's simulator, its feed an hour behind as İYS's), and differences fixed. */
@QuarkusTest
@TestProfile(IysReconcileOn.class)
class IysReconciliationTest {

    @Inject
    Pool pool;

    @Inject
    IysClient client;

    /** A marketing grant on WhatsApp accepted by İYS, then rejected by the citizen in İYS: the subject id. */
    String grantedHereRejectedInIys(String phone) throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        String subject = IDS.fromPhone(phone);
        consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
        await(() -> query("SELECT 1 FROM iys_record WHERE subject_id = $1 AND state = 'accepted'", subject).size() == 1 ? true : null);
        iys.citizenRejects(IDS.normalise(phone), "MESAJ");
        return subject;
    }

    io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> query(String sql, Object... params) throws Exception {
        try {
            return sql(pool, sql, params);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new Exception(e);
        }
    }

    /** Starts a comparison and waits for its report. */
    static JsonPath run() throws Exception {
        String before = given().auth().oauth2(officer()).when().get("/api/iys/reconciliation").then().statusCode(200).extract()
                .jsonPath().getString("ranAt");
        given().auth().oauth2(officer()).when().post("/api/iys/reconciliation/run").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/iys/reconciliation"));
        return await(() -> {
            JsonPath report = given().auth().oauth2(officer()).when().get("/api/iys/reconciliation").then().statusCode(200)
                    .extract().jsonPath();
            return report.getString("ranAt") == null || report.getString("ranAt").equals(before) ? null : report;
        });
    }

    static Map<String, Object> open(JsonPath report, String subject) {
        List<Map<String, Object>> found = report.getList("differences.findAll { it.subjectId == '" + subject + "' && it.state == 'open' }");
        return found.isEmpty() ? null : found.get(0);
    }

    static io.restassured.response.ValidatableResponse apply(String token, Object id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when()
                .post("/api/iys/reconciliation/" + id + "/apply").then();
    }

    @Test
    void aRejectionInIysNotYetInTheLedgerIsADifferenceAndIysToOursRevokesMarketingAudited() throws Throwable {
        String phone = phone();
        String subject = grantedHereRejectedInIys(phone);
        String otherPhone = phone();
        String other = IDS.fromPhone(otherPhone);
        consent(otherPhone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
        await(() -> query("SELECT 1 FROM iys_record WHERE subject_id = $1 AND state = 'accepted'", other).size() == 1 ? true : null);

        JsonPath report = run();
        Map<String, Object> difference = open(report, subject);
        assertThat(difference).containsEntry("channel", "whatsapp").containsEntry("type", "MESAJ").containsEntry("ours", "granted")
                .containsEntry("iys", "RET");
        assertThat(report.getString("ranAt")).isNotNull();
        assertThat(open(report, other)).as("a number in step with İYS").isNull();
        String digits = IDS.normalise(phone).substring(3);
        String body = given().auth().oauth2(token("ayse", "admin")).when().get("/api/iys/reconciliation").then().statusCode(200)
                .extract().asString();
        assertThat(body).contains(subject).doesNotContain(digits);

        Object id = difference.get("id");
        apply(token("ayse", "admin"), id, "{\"direction\":\"iys-to-ours\"}").statusCode(403);
        apply(officer(), id, "{\"direction\":\"sideways\"}").statusCode(400).contentType("application/problem+json");
        apply(officer(), id, "{}").statusCode(400).contentType("application/problem+json");
        apply(officer(), id, "not json").statusCode(400);
        apply(officer(), 987654321, "{\"direction\":\"iys-to-ours\"}").statusCode(404).contentType("application/problem+json");
        apply(officer(), id, "{\"direction\":\"iys-to-ours\"}").statusCode(200).body("state", equalTo("applied"))
                .body("direction", equalTo("iys-to-ours")).body("appliedBy", equalTo("zeynep"));
        apply(officer(), id, "{\"direction\":\"iys-to-ours\"}").statusCode(409).contentType("application/problem+json");

        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"))
                .body("current.find { it.purpose == 'marketing' }.source", equalTo("iys"));
        assertThat(sql(pool, "SELECT count(*) FROM audit_entry WHERE action = 'iys.reconciliation.applied' AND actor = 'zeynep'")
                .iterator().next().getLong(0)).isPositive();
        assertThat(open(run(), subject)).as("in step once applied").isNull();
        assertThat(IysStandIn.simulator().record(IDS.normalise(phone), "MESAJ").status()).as("nothing sent to İYS").isEqualTo("RET");
    }

    @Test
    void oursToIysUploadsTheCurrentRecordAgainAndIysRefusesAGrantOlderThanTheCitizensRejection() throws Throwable {
        String phone = phone();
        String subject = grantedHereRejectedInIys(phone);
        Map<String, Object> difference = open(run(), subject);
        assertThat(difference).isNotNull();

        apply(officer(), difference.get("id"), "{\"direction\":\"ours-to-iys\"}").statusCode(200).body("direction", equalTo("ours-to-iys"));

        // uploaded again, and İYS keeps the citizen's newer rejection: the refusal and its reason show for the officer
        String reason = await(() -> {
            var rows = query("SELECT reason FROM iys_record WHERE ledger_entry = $1 AND state = 'refused'",
                    ((Number) difference.get("ledgerEntry")).longValue());
            return rows.size() == 0 ? null : rows.iterator().next().getString(0);
        });
        assertThat(reason).isNotBlank();
        assertThat(IysStandIn.simulator().record(IDS.normalise(phone), "MESAJ").status()).isEqualTo("RET");
        given().auth().oauth2(officer()).when().get("/api/iys/status").then().statusCode(200)
                .body("problems.find { it.subjectId == '" + subject + "' }.state", equalTo("refused"));
    }

    @Test
    void aRevocationHereWithAnOnayInIysIsFixedOursToIysByARetAndNeverIysToOurs() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        // revoked here with nothing in İYS (skipped: no ONAY to reject), then an ONAY reaches İYS from another tool
        consent(phone, "marketing", "revoked", "web-form", Instant.now().minusSeconds(120));
        await(() -> query("SELECT 1 FROM iys_record WHERE subject_id = $1 AND state = 'skipped'", subject).size() == 1 ? true : null);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> client.add(new IysConsent(IDS.normalise(phone), "BIREYSEL",
                "MESAJ", "ONAY", "HS_WEB", IysConsent.date(Instant.now().minusSeconds(60)))));

        Map<String, Object> difference = open(run(), subject);
        assertThat(difference).containsEntry("ours", "revoked").containsEntry("iys", "ONAY");
        Object id = difference.get("id");
        // İYS's ONAY is not a consent to our purposes: never turned into a grant here
        apply(officer(), id, "{\"direction\":\"iys-to-ours\"}").statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"));

        apply(officer(), id, "{\"direction\":\"ours-to-iys\"}").statusCode(200).body("state", equalTo("applied"))
                .body("direction", equalTo("ours-to-iys"));
        // the RET, dated now, goes up with the next sync and İYS accepts it
        String transaction = await(() -> {
            var rows = query("SELECT transaction_id FROM iys_record WHERE ledger_entry = $1 AND state = 'accepted'",
                    ((Number) difference.get("ledgerEntry")).longValue());
            return rows.size() == 0 ? null : rows.iterator().next().getString(0);
        });
        IysSimulator.Record held = IysStandIn.simulator().record(IDS.normalise(phone), "MESAJ");
        assertThat(held.status()).isEqualTo("RET");
        assertThat(held.transactionId()).isEqualTo(transaction);
        assertThat(open(run(), subject)).as("in step once applied").isNull();
    }

    @Test
    void theReportIsForPrivacyOfficersAndAdmins() {
        given().when().get("/api/iys/reconciliation").then().statusCode(401);
        given().auth().oauth2(token("mert", "marketer")).when().get("/api/iys/reconciliation").then().statusCode(403);
        given().auth().oauth2(token("mert", "marketer")).when().post("/api/iys/reconciliation/run").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"direction\":\"iys-to-ours\"}").when()
                .post("/api/iys/reconciliation/1/apply").then().statusCode(401);
    }
}
