package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.FieldDecryptionException;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class DsrResourceTest {

    @Inject
    Pool pool;

    @Inject
    KeyVault keys;

    static void knownPerson(String phone, String name) {
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\",\"email\":\"ayse@example.com\"}")
                .when().put("/api/identities").then().statusCode(200);
    }

    static Response submit(String body) {
        return given().auth().oauth2(officer()).contentType(ContentType.JSON).body(body).when().post("/api/dsr");
    }

    static Response await(String location, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Response response;
        do {
            Thread.sleep(200);
            response = given().auth().oauth2(officer()).when().get(location);
        } while (!status.equals(response.path("status")) && System.currentTimeMillis() < deadline);
        return response;
    }

    @Test
    void erasureShredsTheSubjectHereAsksEveryServiceAndCompletesOnTheirAcks() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        knownPerson(phone, "Ayşe Yılmazoğlu");
        String sealedEvidence = sql(pool, "SELECT evidence FROM consent_record WHERE subject_id = $1", subject)
                .iterator().next().getString("evidence");
        byte[] oldKey = VertxContextSupport.subscribeAndAwait(() -> keys.find(Set.of(subject))).get(subject);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE)) {
            Response accepted = submit("{\"type\":\"erasure\",\"phone\":\"" + phone + "\"}");
            accepted.then().statusCode(202).body("status", equalTo("in-progress")).body("dueAt", notNullValue())
                    .body("progress.status", hasItems("pending"));
            String location = accepted.header("Location");
            String requestId = accepted.path("id");

            CloudEvent erasure = kafka.await(1, r -> subject.equals(r.key()), Duration.ofSeconds(20)).get(0).value();
            assertThat(erasure.dataAs(PrivacyErasure.class).requestId()).isEqualTo(requestId);

            // nothing about the person is left here in clear or decryptable
            assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1", subject)).isZero();
            assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", subject)).isZero();
            assertThat(count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1", subject)).isZero();
            String digits = IDS.normalise(phone).substring(1);
            for (Row table : sql(pool, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                String name = table.getString("table_name");
                long hits = count(pool, "SELECT count(*) FROM \"" + name + "\" t WHERE t::text LIKE $1 OR t::text LIKE $2 "
                        + "OR t::text LIKE $3", "%" + digits + "%", "%Yılmazoğlu%", "%ayse@example.com%");
                assertThat(hits).as("rows of %s holding the person in clear", name).isZero();
            }
            // the outbox rows that named the subject (its consent change, the erasure request) were deleted once
            // published; the request itself keeps the subject id as proof
            long outboxRows = Long.MAX_VALUE;
            for (long deadline = System.currentTimeMillis() + 20_000; outboxRows > 0 && System.currentTimeMillis() < deadline; Thread.sleep(100)) {
                outboxRows = count(pool, "SELECT count(*) FROM outbox WHERE event_key = $1 OR event LIKE $2", subject, "%" + subject + "%");
            }
            assertThat(outboxRows).as("outbox rows naming the erased subject").isZero();
            // the key is gone: a new key for the subject id cannot open what the old one sealed
            byte[] newKey = VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject))).get(subject);
            assertThat(newKey).isNotEqualTo(oldKey);
            assertThatThrownBy(() -> FieldCipher.decrypt(newKey, subject, sealedEvidence)).isInstanceOf(FieldDecryptionException.class);

            // a repeated request is the same request
            submit("{\"type\":\"erasure\",\"subjectId\":\"" + subject + "\"}").then().statusCode(202)
                    .body("id", equalTo(requestId));

            // every participant acknowledges (one of them twice): the request completes
            for (String service : List.of("webhook-service", "metrics-service", "segment-service", "campaign-service", "metrics-service")) {
                kafka.send(Topics.PRIVACY_ERASURE_ACK, subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK, "ack:" + requestId + ":" + service,
                        "/sohbet/" + service, Instant.now(), subject, new PrivacyErasureAck(requestId, service, Instant.now(), 3)));
            }
            await(location, "completed").then().body("status", equalTo("completed"))
                    .body("progress.status", org.hamcrest.Matchers.everyItem(equalTo("done")))
                    .body("progress.size()", equalTo(4)).body("took", notNullValue()).body("overdue", equalTo(false));
        }
    }

    @Test
    void completedErasuresAreAnnouncedAgainAfterABackupIsRestored() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        knownPerson(phone, "Deniz Replay");
        Instant backup = Instant.now().minusSeconds(1);
        String requestId;
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE)) {
            Response accepted = submit("{\"type\":\"erasure\",\"phone\":\"" + phone + "\"}");
            requestId = accepted.path("id");
            kafka.await(1, r -> subject.equals(r.key()), Duration.ofSeconds(20));
            for (String service : List.of("webhook-service", "metrics-service", "segment-service", "campaign-service")) {
                kafka.send(Topics.PRIVACY_ERASURE_ACK, subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK, "ack:" + requestId + ":" + service,
                        "/sohbet/" + service, Instant.now(), subject, new PrivacyErasureAck(requestId, service, Instant.now(), 1)));
            }
            await(accepted.header("Location"), "completed").then().body("status", equalTo("completed"));
        }
        // a restore of this database from before the erasure brought the person's key back (made before the erasure)
        sql(pool, "INSERT INTO subject_key (subject_id, master_key_id, wrapped_key, created_at) "
                + "VALUES ($1, 'restored', 'x', now() - interval '1 day')", subject);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE)) {
            given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"since\":\"" + backup + "\"}")
                    .when().post("/api/dsr/replay").then().statusCode(200).body("erasures", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

            CloudEvent again = kafka.await(1, r -> subject.equals(r.key()), Duration.ofSeconds(20)).get(0).value();
            assertThat(again.id()).as("the original event id: participants that erased already only acknowledge")
                    .isEqualTo("erasure:" + requestId);
        }
        assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", subject)).isZero();
        given().auth().oauth2(officer()).when().get("/api/dsr/" + requestId).then().body("status", equalTo("completed"));
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'dsr.erasure.replayed'")).isPositive();
    }

    @Test
    void aReplayOfThousandsOfErasuresTakesOneLockAtATime() throws Throwable {
        String batch = Long.toHexString(System.nanoTime());
        Instant since = Instant.now().minusSeconds(60);
        // completed erasures written directly: the replay's work per erasure is the same
        sql(pool, "INSERT INTO dsr_request (id, type, subject_id, status, requested_by, received_at, due_at, completed_at) "
                + "SELECT 'bulk-' || $1 || '-' || g, 'erasure', 'bulk' || $1 || g, 'completed', 'test', "
                + "now() - interval '1 hour', now() + interval '29 days', now() FROM generate_series(1, 1200) AS g", batch);
        // one of them had its key brought back by a restore
        sql(pool, "INSERT INTO subject_key (subject_id, master_key_id, wrapped_key, created_at) "
                + "VALUES ($1, 'restored', 'x', now() - interval '1 day')", "bulk" + batch + "7");

        // the replay answers once every erasure is replayed: on a saturated 2-core machine that can take longer than
        // the 30 s a test request waits by default
        given().config(io.restassured.RestAssured.config().httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 180_000)))
                .auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"since\":\"" + since + "\"}")
                .when().post("/api/dsr/replay").then().statusCode(200)
                .body("erasures", org.hamcrest.Matchers.greaterThanOrEqualTo(1200));

        assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", "bulk" + batch + "7")).isZero();
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'dsr.erasure.replayed' AND at >= $1",
                since.atOffset(java.time.ZoneOffset.UTC))).isPositive();
    }

    @Test
    void anAccessRequestForAnErasedPersonCreatesNoKey() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        knownPerson(phone, "Selin Silindi");
        submit("{\"type\":\"erasure\",\"phone\":\"" + phone + "\"}").then().statusCode(202);
        assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", subject)).isZero();

        Response accepted = submit("{\"type\":\"access\",\"phone\":\"" + phone + "\"}");
        accepted.then().statusCode(202);
        await(accepted.header("Location"), "completed").then().body("status", equalTo("completed"))
                .body("export", org.hamcrest.Matchers.nullValue());
        assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", subject)).isZero();
        given().auth().oauth2(officer()).when().get("/api/dsr/" + accepted.path("id") + "/export").then().statusCode(404);
    }

    @Test
    void aReplayNeedsAPastInstantAndAPrivacyOfficer() {
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{}").when().post("/api/dsr/replay")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/since"));
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"since\":\"yesterday\"}")
                .when().post("/api/dsr/replay").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"since\":\"" + Instant.now().plusSeconds(3600) + "\"}")
                .when().post("/api/dsr/replay").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body("{\"since\":\"2026-01-01T00:00:00Z\"}").when().post("/api/dsr/replay")
                .then().statusCode(401);
        given().auth().oauth2(token("m", "marketer")).contentType(ContentType.JSON).body("{\"since\":\"2026-01-01T00:00:00Z\"}")
                .when().post("/api/dsr/replay").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anAccessRequestGathersEveryServiceIntoOneExport() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        knownPerson(phone, "Mehmet Öztürk");
        Response accepted = submit("{\"type\":\"access\",\"phone\":\"" + phone + "\"}");
        accepted.then().statusCode(202);
        Response done = await(accepted.header("Location"), "completed");
        done.then().body("status", equalTo("completed")).body("progress.size()", equalTo(4))
                .body("export", equalTo("/api/dsr/" + accepted.path("id") + "/export"));
        given().auth().oauth2(officer()).when().get("/api/dsr/" + accepted.path("id") + "/export").then().statusCode(200)
                .body("subjectId", equalTo(subject))
                .body("services.consent-service.contact.phone", equalTo(IDS.normalise(phone)))
                .body("services.consent-service.contact.name", equalTo("Mehmet Öztürk"))
                .body("services.consent-service.consents[0].evidence.ip", equalTo("203.0.113.7"))
                .body("services.metrics-service.subjectId", equalTo(subject))
                .body("services.campaign-service.service", equalTo("campaign-service"));
        // the export is sealed at rest
        assertThat(count(pool, "SELECT count(*) FROM dsr_request WHERE id = $1 AND export LIKE 'v1.%' AND export NOT LIKE '%Öztürk%'",
                (String) accepted.path("id"))).isEqualTo(1);
    }

    @Test
    void anAccessRequestShowsWhichServiceFailed() throws InterruptedException {
        String subject = "down" + Long.toHexString(System.nanoTime()) + "abcdefgh";
        Response accepted = submit("{\"type\":\"access\",\"subjectId\":\"" + subject + "\"}");
        await(accepted.header("Location"), "failed").then().body("status", equalTo("failed"))
                .body("progress.find { it.service == 'campaign-service' }.status", equalTo("failed"))
                .body("progress.find { it.service == 'metrics-service' }.status", equalTo("done"));
    }

    @Test
    void rectificationAndObjectionCompleteAtOnce() {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        knownPerson(phone, "Ali Veli");
        submit("{\"type\":\"rectification\",\"phone\":\"" + phone + "\",\"changes\":{\"name\":\"Ali Can Veli\"}}")
                .then().statusCode(202).body("status", equalTo("completed")).body("detail.fields", hasItems("name"));
        given().auth().oauth2(officer()).when().get("/api/identities/" + subject).then().statusCode(200)
                .body("name", equalTo("Ali Can Veli")).body("email", equalTo("ayse@example.com"));

        submit("{\"type\":\"objection\",\"subjectId\":\"" + subject + "\"}").then().statusCode(202).body("status", equalTo("completed"))
                .body("outcome", equalTo("changed"));
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("current.find { it.purpose == 'marketing' }.state", equalTo("revoked"))
                .body("current.find { it.purpose == 'marketing' }.source", equalTo("objection"));
        // a second objection finds marketing revoked already: it says so and records nothing
        int entries = given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().extract().path("history.size()");
        submit("{\"type\":\"objection\",\"subjectId\":\"" + subject + "\"}").then().statusCode(202).body("status", equalTo("completed"))
                .body("outcome", equalTo("unchanged"));
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200)
                .body("history.size()", equalTo(entries));

        submit("{\"type\":\"rectification\",\"phone\":\"" + phone() + "\",\"changes\":{\"name\":\"X\"}}")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(officer()).when().get("/api/dsr?subjectId=" + subject).then().statusCode(200)
                .body("type", hasItems("rectification", "objection"));
    }

    @Test
    void aRectificationWinsOverDetailsDatedInTheFutureAndSaysWhenItChangedNothing() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        knownPerson(phone, "Eski Ad");
        // stored before future times were refused: a shop event dated a year ahead
        sql(pool, "UPDATE identity SET seen_at = now() + interval '365 days' WHERE subject_id = $1", subject);

        Response changed = submit("{\"type\":\"rectification\",\"phone\":\"" + phone + "\",\"changes\":{\"name\":\"Yeni Ad\"}}");
        changed.then().statusCode(202).body("status", equalTo("completed")).body("outcome", equalTo("changed"))
                .body("detail.changedFields", org.hamcrest.Matchers.contains("name"));
        given().auth().oauth2(officer()).when().get("/api/identities/" + subject).then().statusCode(200)
                .body("name", equalTo("Yeni Ad"));
        assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1 AND seen_at <= now()", subject))
                .as("the rectification dates the details now").isEqualTo(1);

        // the same correction again: completed, and it says that nothing changed
        Response unchanged = submit("{\"type\":\"rectification\",\"subjectId\":\"" + subject
                + "\",\"changes\":{\"name\":\"Yeni Ad\",\"email\":\"ayse@example.com\"}}");
        unchanged.then().statusCode(202).body("status", equalTo("completed")).body("outcome", equalTo("unchanged"))
                .body("detail.fields", org.hamcrest.Matchers.contains("name", "email"))
                .body("detail.changedFields", org.hamcrest.Matchers.empty());
        given().auth().oauth2(officer()).when().get("/api/dsr/" + unchanged.path("id")).then()
                .body("outcome", equalTo("unchanged"));
        given().auth().oauth2(officer()).when().get("/api/dsr?subjectId=" + subject).then()
                .body("outcome", org.hamcrest.Matchers.contains("unchanged", "changed"));
    }

    @Test
    void aPhoneThatReadsAsTwoPeopleIsRefusedUntilItsCountryIsKnown() {
        String national = "535" + (1_000_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(9_000_000));
        String turkish = "+90" + national;
        knownPerson(turkish, "Kıbrıs Değil");
        String rectify = "{\"type\":\"rectification\",\"changes\":{\"name\":\"Doğru Kişi\"},";

        // 535xxxxxxx: a Cuban number read as a WhatsApp id, a Turkish one read as a local number
        submit(rectify + "\"phone\":\"" + national + "\"}").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/phone"))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString("ambiguous"));
        // told how to read it, each spelling finds its own person: the Turkish one is known, the Cuban one is not
        submit(rectify + "\"phone\":\"" + national + "\",\"country\":\"TR\"}").then().statusCode(202)
                .body("subjectId", equalTo(IDS.fromPhone(turkish)));
        submit(rectify + "\"phone\":\"00 90 " + national + "\"}").then().statusCode(202)
                .body("subjectId", equalTo(IDS.fromPhone(turkish)));
        submit(rectify + "\"phone\":\"0" + national + "\"}").then().statusCode(202)
                .body("subjectId", equalTo(IDS.fromPhone(turkish)));
        submit(rectify + "\"phone\":\"+" + national + "\"}").then().statusCode(404);
        submit(rectify + "\"phone\":\"" + national + "\",\"country\":\"CU\"}").then().statusCode(404);

        // a country that is not one, that contradicts the number, or without a phone
        submit(rectify + "\"phone\":\"" + national + "\",\"country\":\"tr\"}").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/country"));
        submit(rectify + "\"phone\":\"" + national + "\",\"country\":\"QQ\"}").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/country"));
        submit(rectify + "\"phone\":\"" + turkish + "\",\"country\":\"DE\"}").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/country"));
        submit(rectify + "\"subjectId\":\"" + IDS.fromPhone(turkish) + "\",\"country\":\"TR\"}").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/country"));
        submit(rectify + "\"phone\":\"12345\",\"country\":\"TR\"}").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/phone"));
    }

    @Test
    void badRequestsAre400AndRolesAreEnforced() {
        submit("{\"type\":\"erasure\"}").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/phone"));
        submit("{\"type\":\"erasure\",\"phone\":\"05321112233\",\"subjectId\":\"abcdefghijklmnopq\"}").then().statusCode(400);
        submit("{\"type\":\"forget-me\",\"phone\":\"05321112233\"}").then().statusCode(400)
                .body("errors.pointer", hasItems("/type"));
        submit("{\"type\":\"rectification\",\"phone\":\"05321112233\",\"changes\":{\"email\":\"not-an-email\"}}")
                .then().statusCode(400).body("errors.pointer", hasItems("/changes/email"));
        submit("{\"type\":\"rectification\",\"phone\":\"05321112233\"}").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/changes"));
        submit("{\"type\":\"erasure\",\"phone\":\"12\"}").then().statusCode(400).body("errors[0].pointer", equalTo("/phone"));
        given().auth().oauth2(officer()).when().get("/api/dsr/not-a-request").then().statusCode(400);
        given().auth().oauth2(officer()).when().get("/api/dsr/00000000-0000-0000-0000-000000000000").then().statusCode(404);

        given().contentType(ContentType.JSON).body("{\"type\":\"erasure\",\"phone\":\"05321112233\"}")
                .when().post("/api/dsr").then().statusCode(401);
        given().auth().oauth2(token("mert", "marketer")).contentType(ContentType.JSON)
                .body("{\"type\":\"erasure\",\"phone\":\"05321112233\"}").when().post("/api/dsr").then().statusCode(403);
        given().auth().oauth2(service()).when().get("/api/dsr").then().statusCode(403);
    }
}
