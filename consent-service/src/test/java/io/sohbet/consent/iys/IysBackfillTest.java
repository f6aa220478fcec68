package io.sohbet.consent.iys;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sohbet.devstack.iys.IysSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static io.sohbet.consent.iys.IysEnforcementTest.contact;
import static io.sohbet.consent.iys.IysEnforcementTest.reason;
import static io.sohbet.consent.iys.IysEnforcementTest.resolve;
import static io.sohbet.consent.iys.IysSyncTest.await;
import static io.sohbet.consent.iys.IysSyncTest.consent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The consents from before İYS was turned on, checked with İYS once and queued (the backfill); the RET owed to İYS when
 * a person with an ONAY there is erased; the reconciliation's scheduled run. Against devstack's simulator.
 */
@QuarkusTest
@TestProfile(IysBackfillOn.class)
class IysBackfillTest {

    @Inject
    Pool pool;

    @Inject
    IysClient client;

    @Inject
    IysReconciliation reconciliation;

    @Inject
    Scheduler scheduler;

    Row row(String sql, Object... params) throws Exception {
        try {
            var rows = sql(pool, sql, params);
            return rows.size() == 0 ? null : rows.iterator().next();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new Exception(e);
        }
    }

    /** İYS's ONAY for {@code phone} given {@code ago}, uploaded by another of the brand's tools: its transaction id. */
    String onayInIys(String phone, Duration ago) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> client.add(new IysConsent(IDS.normalise(phone), "BIREYSEL", "MESAJ",
                "ONAY", "HS_WEB", IysConsent.date(Instant.now().minus(ago)))));
    }

    static JsonPath backfill(String startedBy) throws Exception {
        return await(() -> {
            JsonPath status = given().auth().oauth2(officer()).when().get("/api/iys/status").then().statusCode(200).extract().jsonPath();
            Map<String, Object> whatsapp = status.getMap("backfill.find { it.channel == 'whatsapp' }");
            return whatsapp != null && startedBy.equals(whatsapp.get("startedBy")) && "done".equals(whatsapp.get("state"))
                    ? status : null;
        });
    }

    @Test
    void consentsFromBeforeIysAreCheckedWithIysOnceAndWhatIysLacksIsQueued() throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        // it ran by itself at the first start with the channel
        backfill("startup");

        // five people whose current entries predate İYS: made while İYS could not be reached, their records then dropped
        String fresh = phone();       // granted an hour ago, nothing in İYS: queued and uploaded
        String known = phone();       // granted, İYS holds the ONAY already (another tool): found, not sent again
        String old = phone();         // granted ten days ago, nothing in İYS: İYS would refuse it
        String withdrawn = phone();   // revoked here, İYS still holds an ONAY: a RET queued
        String never = phone();       // revoked here, nothing in İYS: nothing to reject there
        List<String> phones = List.of(fresh, known, old, withdrawn, never);
        iys.down(true);
        Instant now = Instant.now();
        consent(fresh, "marketing", "granted", "web-form", now.minus(Duration.ofHours(1)));
        consent(known, "marketing", "granted", "web-form", now.minus(Duration.ofHours(1)));
        consent(old, "marketing", "granted", "web-form", now.minus(Duration.ofDays(10)));
        consent(withdrawn, "marketing", "granted", "web-form", now.minus(Duration.ofHours(2)));
        consent(withdrawn, "marketing", "revoked", "web-form", now.minus(Duration.ofMinutes(30)));
        consent(never, "marketing", "revoked", "web-form", now.minus(Duration.ofMinutes(30)));
        String[] subjects = phones.stream().map(IDS::fromPhone).toArray(String[]::new);
        await(() -> {
            // not while an upload is in flight: it fails while İYS is down, and then the row goes
            row("DELETE FROM iys_record WHERE subject_id = ANY($1) AND state <> 'sending'", (Object) subjects);
            return row("SELECT 1 FROM iys_record WHERE subject_id = ANY($1)", (Object) subjects) == null ? true : null;
        });
        iys.down(false);
        String knownTransaction = onayInIys(known, Duration.ofHours(1));
        onayInIys(withdrawn, Duration.ofHours(3));
        // their numbers are in the vault (the İYS records that also held them are gone)
        for (int i = 0; i < phones.size(); i++) {
            contact(phones.get(i), "Kişi " + i);
        }
        resolve(fresh, old).body("contacts", hasSize(0)).body(reason(fresh), equalTo(IysEnforcement.WITHHELD));

        given().when().post("/api/iys/backfill").then().statusCode(401);
        given().auth().oauth2(token("mert", "marketer")).when().post("/api/iys/backfill").then().statusCode(403);
        given().auth().oauth2(officer()).when().post("/api/iys/backfill").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/iys/status"))
                .body("find { it.channel == 'whatsapp' }.startedBy", equalTo("zeynep"));
        JsonPath status = backfill("zeynep");
        assertThat(status.getMap("backfill.find { it.channel == 'whatsapp' }")).containsEntry("queued", 2).containsEntry("inIys", 1)
                .containsEntry("skipped", 2);
        assertThat(sql(pool, "SELECT count(*) FROM audit_entry WHERE action = 'iys.backfill.started' AND actor = 'zeynep'")
                .iterator().next().getLong(0)).isPositive();

        Row knownRow = row("SELECT state, transaction_id, reason FROM iys_record WHERE subject_id = $1", IDS.fromPhone(known));
        assertThat(knownRow.getString("state")).isEqualTo("accepted");
        assertThat(knownRow.getString("transaction_id")).isEqualTo(knownTransaction);
        assertThat(row("SELECT reason FROM iys_record WHERE subject_id = $1 AND state = 'skipped'", IDS.fromPhone(old))
                .getString(0)).isEqualTo("past-deadline");
        assertThat(row("SELECT reason FROM iys_record WHERE subject_id = $1 AND state = 'skipped'", IDS.fromPhone(never))
                .getString(0)).isEqualTo("no-onay-in-iys");
        // the two queued reach İYS through the usual sync: the grant, and the RET after İYS's ONAY
        await(() -> row("SELECT count(*) FROM iys_record WHERE subject_id = ANY($1) AND state = 'accepted'",
                (Object) new String[] {IDS.fromPhone(fresh), IDS.fromPhone(withdrawn)}).getLong(0) == 2 ? true : null);
        assertThat(iys.record(IDS.normalise(fresh), "MESAJ").status()).isEqualTo("ONAY");
        assertThat(iys.record(IDS.normalise(withdrawn), "MESAJ").status()).isEqualTo("RET");
        assertThat(iys.record(IDS.normalise(known), "MESAJ").transactionId()).as("not sent again").isEqualTo(knownTransaction);
        assertThat(iys.record(IDS.normalise(old), "MESAJ")).isNull();
        // with enforcement on, the grant from before İYS is usable once it is in İYS; the one İYS refuses stays withheld
        resolve(fresh, old).body("contacts", hasSize(1)).body(reason(old), equalTo(IysEnforcement.WITHHELD));

        // once more: every entry has its record, so nothing is asked of İYS and nothing is counted. The reconciliation
        // scheduled every 3 s here asks İYS about every current entry too: it is paused, and its run under way ends first
        scheduler.pause(IysReconciliation.JOB);
        try {
            await(() -> reconciliation.running() ? null : true);
            int statusCalls = iys.calls(IysSimulator.STATUS);
            given().auth().oauth2(officer()).when().post("/api/iys/backfill").then().statusCode(202);
            Thread.sleep(1500);
            assertThat(backfill("zeynep").getMap("backfill.find { it.channel == 'whatsapp' }")).containsEntry("queued", 0)
                    .containsEntry("inIys", 0).containsEntry("skipped", 0);
            assertThat(iys.calls(IysSimulator.STATUS)).isEqualTo(statusCalls);
        } finally {
            scheduler.resume(IysReconciliation.JOB);
        }
    }

    @Test
    void erasingAPersonWithAnOnayInIysSendsARetAndKeepsNoNumber() throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        String phone = phone();
        String other = phone();
        consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
        consent(other, "marketing", "revoked", "web-form", Instant.now().minusSeconds(60));
        await(() -> row("SELECT 1 FROM iys_record WHERE subject_id = $1 AND state = 'accepted'", IDS.fromPhone(phone)));
        long before = row("SELECT count(*) FROM iys_erasure_ret").getLong(0);

        String request = given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"type\":\"erasure\",\"phone\":\"" + phone + "\"}").when().post("/api/dsr").then().statusCode(202)
                .extract().path("id");
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"type\":\"erasure\",\"phone\":\"" + other + "\"}")
                .when().post("/api/dsr").then().statusCode(202);
        assertThat(row("SELECT count(*) FROM iys_erasure_ret").getLong(0)).as("one RET: the other had no ONAY in İYS")
                .isEqualTo(before + 1);
        given().auth().oauth2(officer()).when().get("/api/dsr/" + request).then().statusCode(200)
                .body("detail.iysRets", equalTo(1));

        await(() -> "RET".equals(iys.record(IDS.normalise(phone), "MESAJ").status()) ? true : null);
        Row ret = await(() -> row("SELECT state, transaction_id, recipient, wrapped_key FROM iys_erasure_ret "
                + "WHERE state <> 'pending' ORDER BY id DESC LIMIT 1"));
        assertThat(ret.getString("state")).isEqualTo("accepted");
        assertThat(ret.getString("transaction_id")).isEqualTo(iys.record(IDS.normalise(phone), "MESAJ").transactionId());
        assertThat(ret.getString("recipient")).as("the number deleted once İYS answered").isNull();
        assertThat(ret.getString("wrapped_key")).isNull();
        assertThat(row("SELECT count(*) FROM iys_record WHERE subject_id = $1", IDS.fromPhone(phone)).getLong(0)).isZero();
        given().auth().oauth2(officer()).when().get("/api/iys/status").then().statusCode(200)
                .body("erasureRets.accepted", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    void theReconciliationRunsOnItsScheduleAndFindsACitizensRejection() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
        await(() -> row("SELECT 1 FROM iys_record WHERE subject_id = $1 AND state = 'accepted'", subject));
        IysStandIn.simulator().citizenRejects(IDS.normalise(phone), "MESAJ");
        // no POST /api/iys/reconciliation/run: the scheduled comparison (every 3 s here) finds it
        Map<String, Object> found = await(() -> IysReconciliationTest.open(given().auth().oauth2(officer()).when()
                .get("/api/iys/reconciliation").then().statusCode(200).extract().jsonPath(), subject));
        assertThat(found).containsEntry("ours", "granted").containsEntry("iys", "RET");
    }
}
