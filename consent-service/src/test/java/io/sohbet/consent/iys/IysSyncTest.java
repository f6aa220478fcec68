package io.sohbet.consent.iys;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sohbet.devstack.iys.IysSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.NOTICE;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/** Marketing consents mirrored to İYS (devstack's simulator) and citizens' rejections made in İYS read back. */
@QuarkusTest
@TestProfile(IysOn.class)
class IysSyncTest {

    @Inject
    Pool pool;

    @Inject
    io.sohbet.consent.service.WhatsAppRevocations revocations;

    void stopsMarketingOnWhatsApp(String subject) throws Throwable {
        Instant at = Instant.now().minusSeconds(5);
        io.quarkus.vertx.VertxContextSupport.<Boolean>subscribeAndAwait(() -> revocations.onPreference(
                "wa.preference:" + subject + ":marketing_messages:stop:" + at.getEpochSecond(), subject, "stop", at));
    }

    static void consent(String phone, String purpose, String state, String source, Instant capturedAt) {
        String body = "{\"phone\":\"" + phone + "\",\"purpose\":\"" + purpose + "\",\"state\":\"" + state + "\",\"source\":\""
                + source + "\"" + (state.equals("granted") ? ",\"notice\":" + NOTICE : "") + ",\"capturedAt\":\"" + capturedAt + "\"}";
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(body).when().post("/api/consents").then().statusCode(201);
    }

    static <T> T await(Callable<T> probe) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(40));
        while (Instant.now().isBefore(until)) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within 40 s");
    }

    /** The İYS row of the subject's latest ledger entry in {@code state}, or null. */
    Row row(String subject, String state) throws Throwable {
        var rows = sql(pool, "SELECT * FROM iys_record WHERE subject_id = $1 AND state = $2 ORDER BY ledger_entry DESC LIMIT 1",
                subject, state);
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    @Test
    void aGrantAndItsRevocationReachIysWithinASyncIntervalAndTheirTransactionIdsAreKept() throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        String phone = phone();
        String recipient = IDS.normalise(phone);
        String subject = IDS.fromPhone(phone);
        consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(120));

        IysSimulator.Record onay = await(() -> iys.record(recipient, "MESAJ"));
        assertThat(onay.status()).isEqualTo("ONAY");
        assertThat(onay.source()).isEqualTo("HS_WEB");
        Row accepted = await(() -> {
            try {
                return row(subject, "accepted");
            } catch (Throwable e) {
                throw new Exception(e);
            }
        });
        assertThat(accepted.getString("transaction_id")).isEqualTo(onay.transactionId());
        assertThat(accepted.getString("recipient")).as("sealed").doesNotContain(recipient.substring(3));

        consent(phone, "marketing", "revoked", "admin", Instant.now().minusSeconds(60));
        IysSimulator.Record ret = await(() -> "RET".equals(iys.record(recipient, "MESAJ").status()) ? iys.record(recipient, "MESAJ") : null);
        assertThat(ret.source()).isEqualTo("HS_EORTAM");
        await(() -> {
            try {
                return sql(pool, "SELECT count(*) FROM iys_record WHERE subject_id = $1 AND state = 'accepted'", subject)
                        .iterator().next().getLong(0) == 2 ? true : null;
            } catch (Throwable e) {
                throw new Exception(e);
            }
        });
    }

    @Test
    void aConsentOlderThanThreeBusinessDaysShowsAsRefusedWithTheReason() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        consent(phone, "marketing", "granted", "web-form", Instant.now().minus(Duration.ofDays(10)));

        Row refused = await(() -> {
            try {
                return row(subject, "refused");
            } catch (Throwable e) {
                throw new Exception(e);
            }
        });
        assertThat(refused.getString("reason")).startsWith("H920 consentDate").contains("3 business days");
        assertThat(IysStandIn.simulator().record(IDS.normalise(phone), "MESAJ")).isNull();
        given().auth().oauth2(officer()).when().get("/api/iys/status").then().statusCode(200)
                .body("enabled", equalTo(true))
                .body("channels.whatsapp.type", equalTo("MESAJ"))
                .body("problems.find { it.subjectId == '" + subject + "' }.reason", containsString("H920"))
                .body("problems.find { it.subjectId == '" + subject + "' }.state", equalTo("refused"))
                .body(not(containsString(IDS.normalise(phone).substring(3))));
    }

    @Test
    void anUploadThatFailsIsRetriedVisiblyUntilIysAnswers() throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        iys.down(true);
        try {
            consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
            await(() -> {
                try {
                    var rows = sql(pool, "SELECT attempts, reason FROM iys_record WHERE subject_id = $1 AND state = 'pending' "
                            + "AND attempts >= 1", subject);
                    return rows.size() == 0 ? null : rows.iterator().next();
                } catch (Throwable e) {
                    throw new Exception(e);
                }
            });
            given().auth().oauth2(officer()).when().get("/api/iys/status").then().statusCode(200)
                    .body("problems.find { it.subjectId == '" + subject + "' }.state", equalTo("pending"))
                    .body("problems.find { it.subjectId == '" + subject + "' }.reason", containsString("503"));
        } finally {
            iys.down(false);
        }
        await(() -> {
            try {
                return row(subject, "accepted");
            } catch (Throwable e) {
                throw new Exception(e);
            }
        });
        assertThat(iys.record(IDS.normalise(phone), "MESAJ").status()).isEqualTo("ONAY");
    }

    @Test
    void aStopOnWhatsAppIsSentAsRetWithTheNumberFromTheVaultOrFromTheGrant() throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        String inVault = phone();
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":\"" + inVault + "\",\"name\":\"Ece Yıldız\"}")
                .when().put("/api/identities").then().statusCode(200);
        String onlyGranted = phone(); // the vault never saw this number: the grant came with it
        for (String phone : new String[] {inVault, onlyGranted}) {
            consent(phone, "marketing", "granted", "whatsapp-opt-in", Instant.now().minusSeconds(60));
        }
        await(() -> iys.record(IDS.normalise(inVault), "MESAJ"));
        await(() -> iys.record(IDS.normalise(onlyGranted), "MESAJ"));
        assertThat(iys.record(IDS.normalise(inVault), "MESAJ").source()).isEqualTo("HS_MESAJ");

        stopsMarketingOnWhatsApp(IDS.fromPhone(inVault));
        stopsMarketingOnWhatsApp(IDS.fromPhone(onlyGranted));

        for (String phone : new String[] {inVault, onlyGranted}) {
            IysSimulator.Record ret = await(() -> "RET".equals(iys.record(IDS.normalise(phone), "MESAJ").status())
                    ? iys.record(IDS.normalise(phone), "MESAJ") : null);
            assertThat(ret.source()).isEqualTo("HS_EORTAM");
        }
    }

    @Test
    void otherPurposesAndForeignNumbersAreNotMirrored() throws Throwable {
        String german = "+49 151 2" + (1_000_000 + (int) (Math.random() * 8_999_999));
        consent(german, "marketing", "granted", "web-form", Instant.now().minusSeconds(30));
        String turkish = phone();
        consent(turkish, "analytics", "granted", "web-form", Instant.now().minusSeconds(30));
        Thread.sleep(2500); // more than two sync intervals
        assertThat(sql(pool, "SELECT count(*) FROM iys_record WHERE subject_id IN ($1, $2)", IDS.fromPhone(german),
                IDS.fromPhone(turkish)).iterator().next().getLong(0)).isZero();
    }

    @Test
    void aRejectionMadeInIysRevokesMarketingInTheLedgerWithItsTransactionId() throws Throwable {
        IysSimulator iys = IysStandIn.simulator();
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
        await(() -> iys.record(IDS.normalise(phone), "MESAJ"));

        String transaction = iys.citizenRejects(IDS.normalise(phone), "MESAJ");

        Row received = await(() -> {
            try {
                return row(subject, "received");
            } catch (Throwable e) {
                throw new Exception(e);
            }
        });
        assertThat(received.getString("transaction_id")).isEqualTo(transaction);
        assertThat(received.getString("source")).isEqualTo("IYS_WEB");
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"))
                .body("current.find { it.purpose == 'marketing' }.source", equalTo("iys"));
        Thread.sleep(2500); // later polls read nothing new: one entry per change
        assertThat(sql(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1 AND source = 'iys'", subject)
                .iterator().next().getLong(0)).isEqualTo(1);
        assertThat(iys.record(IDS.normalise(phone), "MESAJ").transactionId()).as("nothing sent back").isEqualTo(transaction);
    }

    @Test
    void theStatusIsForPrivacyOfficersAndAdmins() {
        given().when().get("/api/iys/status").then().statusCode(401);
        given().auth().oauth2(token("mert", "marketer")).when().get("/api/iys/status").then().statusCode(403);
        given().auth().oauth2(token("ayse", "admin")).when().get("/api/iys/status").then().statusCode(200)
                .body("records.accepted", org.hamcrest.Matchers.notNullValue());
    }
}
