package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaContact;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** One person, many identifiers: links from WhatsApp profiles, their moves, their lookup, and their erasure. */
@QuarkusTest
class IdentifierLinksTest {

    @Inject
    KeyVault keys;

    @Inject
    Pool pool;

    static String webhook() {
        return TestTokens.service("sohbet-webhook", "sohbet-consent", "subject-keys:create", "subject-keys:read",
                "identifiers:resolve").sign();
    }

    static String bsuid() {
        return "TR." + ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_000_000_000_000L);
    }

    byte[] key(String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject))).get(subject);
    }

    static String seal(byte[] key, String subject, String value) {
        return value == null ? null : FieldCipher.encrypt(key, subject, value);
    }

    static CloudEvent contact(String subject, byte[] key, String waId, String bsuid, String parent, String username,
            String change, Instant seen) {
        return CloudEvent.of(Topics.WA_CONTACT, "wa.contact:" + subject + ":" + seen.toEpochMilli() + ":" + change,
                "/sohbet/webhook-service", seen, subject, new WaContact(seal(key, subject, waId), seal(key, subject, "Ece"),
                        seal(key, subject, bsuid), "pn-1", seen, seal(key, subject, parent), seal(key, subject, username), change));
    }

    static ValidatableResponse resolve(String token, String... hashes) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"hashes\":[\"" + String.join("\",\"", hashes) + "\"]}")
                .when().post("/internal/identifiers/resolve").then();
    }

    /** keyed hash → subject, as consent-service answers webhook-service. */
    static Map<String, String> subjects(String... hashes) {
        return resolve(webhook(), hashes).statusCode(200).extract().jsonPath().getMap("subjects", String.class, String.class);
    }

    /** Waits until the hash is linked to {@code subject} (the listener is asynchronous). */
    static void awaitLinked(String hash, String subject) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!subject.equals(subjects(hash).get(hash)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(subjects(hash)).containsEntry(hash, subject);
    }

    @Test
    void aProfileWithPhoneAndBsuidLinksEveryIdentifierToTheOneSubject() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        String bsuid = bsuid();
        String parent = "TR.ENT." + bsuid.substring(3);
        String username = "ece_" + bsuid.substring(3);
        byte[] key = key(subject);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            CloudEvent profile = contact(subject, key, phone.substring(1), bsuid, parent, username, null, Instant.now());
            kafka.send(Topics.WA_CONTACT, subject, profile);
            kafka.send(Topics.WA_CONTACT, subject, profile); // redelivered: changes nothing
        }
        awaitLinked(IDS.fromBusinessScopedUserId(bsuid), subject);
        String unknown = IDS.fromBusinessScopedUserId(bsuid());
        assertThat(subjects(IDS.fromUsername("@" + username.toUpperCase()), IDS.fromParentBusinessScopedUserId(parent),
                IDS.fromPhone(phone), unknown)).isEqualTo(Map.of(IDS.fromUsername(username), subject,
                IDS.fromParentBusinessScopedUserId(parent), subject, IDS.fromPhone(phone), subject));
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE subject_id = $1", subject)).isEqualTo(4);
        // an access request shows every identifier in clear
        String access = given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"type\":\"access\",\"subjectId\":\"" + subject + "\"}").when().post("/api/dsr")
                .then().statusCode(202).extract().path("id");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"completed".equals(given().auth().oauth2(officer()).when().get("/api/dsr/" + access).path("status"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(given().auth().oauth2(officer()).when().get("/api/dsr/" + access + "/export").then().statusCode(200)
                .extract().jsonPath().getList("services.consent-service.identifiers.value", String.class))
                .containsExactlyInAnyOrder(phone, bsuid, parent, username);
        // sealed, never in clear
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE value LIKE $1 OR value LIKE $2",
                "%" + bsuid + "%", "%" + phone.substring(1) + "%")).isZero();
    }

    @Test
    void aNumberChangeLinksTheNewNumberAndTheConsentStaysWithThePerson() throws Throwable {
        String oldPhone = phone();
        String subject = IDS.fromPhone(oldPhone);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(oldPhone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        String newPhone = IDS.normalise(phone());
        byte[] key = key(subject);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, newPhone.substring(1), null, null, null,
                    WaContact.CHANGED_NUMBER, Instant.now()));
        }
        awaitLinked(IDS.fromPhone(newPhone), subject);
        // campaign-service gets the new number for the same subject and the same consent
        given().auth().oauth2(service()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[\"" + subject + "\"]}").when().post("/internal/contacts/resolve")
                .then().statusCode(200).body("contacts", hasSize(1)).body("contacts[0].phone", equalTo(newPhone))
                .body("contacts[0].address.type", equalTo("phone")).body("contacts[0].address.value", equalTo(newPhone));
    }

    @Test
    void aPersonKnownOnlyByBsuidIsResolvedWithoutAPhone() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        String older = bsuid();
        String latest = bsuid();
        byte[] key = key(subject);
        Instant now = Instant.now();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, null, latest, null, null, WaContact.CHANGED_USER_ID, now));
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, null, older, null, null, null, now.minusSeconds(600)));
        }
        awaitLinked(IDS.fromBusinessScopedUserId(latest), subject);
        awaitLinked(IDS.fromBusinessScopedUserId(older), subject);
        given().auth().oauth2(service()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[\"" + subject + "\"]}").when().post("/internal/contacts/resolve")
                .then().statusCode(200).body("contacts", hasSize(1)).body("contacts[0].phone", nullValue())
                .body("contacts[0].bsuid", equalTo(latest)).body("contacts[0].address.type", equalTo("bsuid"))
                .body("contacts[0].address.value", equalTo(latest));
    }

    @Test
    void aPersonWhoseNumberIsWithheldNowIsAddressedByBsuidAndByPhoneOnceItIsSharedAgain() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        String bsuid = bsuid();
        String username = "ece_" + bsuid.substring(3);
        byte[] key = key(subject);
        Instant start = Instant.now().minusSeconds(600);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // known by phone, both ids in the webhook (Meta since April 2026): the phone is the address
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, phone.substring(1), bsuid, null, null, null, start));
        }
        awaitLinked(IDS.fromBusinessScopedUserId(bsuid), subject);
        resolveContact(subject).body("contacts[0].address.type", equalTo("phone")).body("contacts[0].address.value", equalTo(phone))
                .body("contacts[0].bsuid", equalTo(bsuid));
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // a username adopted: wa_id "" and the BSUID only, later; then a redelivery of the older webhook with both
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, null, bsuid, null, username, null, start.plusSeconds(60)));
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, phone.substring(1), bsuid, null, null, null, start));
        }
        awaitLinked(IDS.fromUsername(username), subject);
        // the phone is still held (consent and İYS are checked with it), the message goes to the BSUID
        resolveContact(subject).body("contacts", hasSize(1)).body("contacts[0].phone", equalTo(phone))
                .body("contacts[0].address.type", equalTo("bsuid")).body("contacts[0].address.value", equalTo(bsuid));
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // the number shows up again (a status or message with both ids): the phone is the address again
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, phone.substring(1), bsuid, null, null, null,
                    start.plusSeconds(120)));
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"phone".equals(resolveContact(subject).extract().path("contacts[0].address.type"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        resolveContact(subject).body("contacts[0].address.type", equalTo("phone")).body("contacts[0].address.value", equalTo(phone));
    }

    static ValidatableResponse resolveContact(String subject) {
        return given().auth().oauth2(service()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[\"" + subject + "\"]}").when().post("/internal/contacts/resolve")
                .then().statusCode(200);
    }

    @Test
    void erasureLeavesNoIdentifierOfThePerson() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        String bsuid = bsuid();
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        byte[] key = key(subject);
        // the person's number then shows up on a second subject (as a changed number): its link, keyed by the hash that
        // is the person's subject id, points to the person too
        String second = IDS.fromBusinessScopedUserId(bsuid());
        byte[] secondKey = key(second);
        Instant now = Instant.now();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, phone.substring(1), bsuid, null, "ece_x" + bsuid.substring(3),
                    null, now.minusSeconds(60)));
            kafka.send(Topics.WA_CONTACT, second, contact(second, secondKey, phone.substring(1), null, null, null,
                    WaContact.CHANGED_NUMBER, now));
        }
        awaitLinked(IDS.fromBusinessScopedUserId(bsuid), subject);
        awaitLinked(subject, second);
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE subject_id = $1 OR id_hash = $1", subject))
                .isEqualTo(3);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"type\":\"erasure\",\"subjectId\":\"" + subject + "\"}")
                .when().post("/api/dsr").then().statusCode(202);
        assertThat(count(pool, "SELECT count(*) FROM subject_identifier WHERE subject_id = $1 OR id_hash = $1", subject)).isZero();
        assertThat(subjects(IDS.fromBusinessScopedUserId(bsuid), IDS.fromPhone(phone))).isEmpty();

        // the id a BSUID alone derives counts as erased from then on: Meta's retry of the person's BSUID-only message
        // (from before) gets no key and is named erased; a message written after the erasure is a new beginning
        String derived = IDS.fromBusinessScopedUserId(bsuid);
        assertThat(count(pool, "SELECT count(*) FROM erased_identifier WHERE id_hash = $1", derived)).isOne();
        io.restassured.path.json.JsonPath late = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(derived), "happenedAt", Map.of(derived, now.minusSeconds(30).toString())))
                .when().post("/internal/subject-keys").then().statusCode(200).extract().jsonPath();
        assertThat(late.getMap("keys")).as("a key for a late event of the erased person").isEmpty();
        assertThat(late.getMap("erased")).containsKey(derived);
        io.restassured.path.json.JsonPath back = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(derived), "happenedAt", Map.of(derived, Instant.now().plusSeconds(1).toString())))
                .when().post("/internal/subject-keys").then().statusCode(200).extract().jsonPath();
        assertThat(back.getMap("keys")).as("a key for a message written after the erasure").containsKey(derived);
    }

    @Test
    void onlyWebhookServiceResolvesAndBadBatchesAre400() {
        resolve(webhook(), "short").statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body("{\"hashes\":[]}")
                .when().post("/internal/identifiers/resolve").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItems("/hashes"));
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body("not json")
                .when().post("/internal/identifiers/resolve").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        resolve(service(), IDS.fromPhone(phone())).statusCode(403);
        resolve(TestTokens.service("sohbet-webhook", "sohbet-consent", "subject-keys:create").sign(), IDS.fromPhone(phone()))
                .statusCode(403);
        given().contentType(ContentType.JSON).body("{\"hashes\":[\"abcdefghijklmnopqr\"]}")
                .when().post("/internal/identifiers/resolve").then().statusCode(401);
    }
}
