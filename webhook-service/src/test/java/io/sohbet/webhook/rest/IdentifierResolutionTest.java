package io.sohbet.webhook.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaContact;
import io.sohbet.webhook.Fixtures;
import io.sohbet.webhook.service.SignatureVerifier;
import io.sohbet.webhook.service.WhatsAppIngestion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One person, many identifiers: a person first seen with a number and a BSUID stays one subject when later webhooks
 * name them by the BSUID or the username alone, or by a new number or BSUID; links recorded by consent-service (another
 * replica) are found through it; when it is down, webhooks are still taken in, by today's derivation, and counted.
 */
@QuarkusTest
class IdentifierResolutionTest {

    static final SubjectIds IDS = new SubjectIds("dev-pepper-not-for-production".getBytes(StandardCharsets.UTF_8));

    @Inject
    MeterRegistry registry;

    /** The identifiers of the hand-written payloads, replaced by fresh ones so that no cache knows them. */
    record Person(String phone, String bsuid, String parent, String username, String newPhone, String newBsuid) {

        static Person fresh() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String n = String.valueOf(r.nextLong(1_000_000_000_000_000L, 9_000_000_000_000_000L));
            return new Person("90532" + r.nextInt(1_000_000, 9_999_999), "TR.2" + n, "TR.ENT.3" + n, "ece." + n,
                    "90533" + r.nextInt(1_000_000, 9_999_999), "TR.9" + n);
        }

        byte[] payload(String name) {
            String body = new String(Fixtures.own(name), StandardCharsets.UTF_8)
                    .replace("905321110001", phone).replace("905329990002", newPhone)
                    .replace("TR.2000000000000000001", bsuid).replace("TR.ENT.3000000000000000001", parent)
                    .replace("TR.2000000000000000009", newBsuid).replace("ece.arslan", username)
                    .replace("wamid.ids22-", "wamid.ids22-" + bsuid + "-");
            return body.getBytes(StandardCharsets.UTF_8);
        }

        /** The hashed id of a payload's message or status ({@code wamid.ids22-<name>}) as it goes out in event ids. */
        String wamid(String name) {
            return Fixtures.MESSAGE_IDS.of("wamid.ids22-" + bsuid + "-" + name);
        }

        String subject() {
            return IDS.fromWhatsAppId(phone);
        }
    }

    static void post(byte[] body) {
        given().contentType("application/json").header("X-Hub-Signature-256", SignatureVerifier.sign("dev-app-secret", body))
                .body(body).when().post("/webhooks/whatsapp").then().statusCode(200);
    }

    static String open(String subject, String sealed) {
        return sealed == null ? null : FieldCipher.decrypt(KeyVaultStandIn.keyOf(subject), subject, sealed);
    }

    static CloudEvent one(KafkaProbe kafka, String idPart) {
        return kafka.await(1, r -> r.value().id().contains(idPart), Duration.ofSeconds(20)).get(0).value();
    }

    @Test
    void aBsuidOnlyMessageAndStatusAfterAContactWithBothIdsAreTheSamePerson() {
        Person p = Person.fresh();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_INBOUND, Topics.WA_CONTACT, Topics.WA_STATUS)) {
            post(p.payload("contact_phone_and_bsuid.json"));
            CloudEvent contact = kafka.await(1, r -> r.topic().equals(Topics.WA_CONTACT)
                    && p.subject().equals(r.value().subject()), Duration.ofSeconds(20)).get(0).value();
            WaContact profile = contact.dataAs(WaContact.class);
            // every identifier goes to consent-service sealed with the person's key, for it to link
            assertThat(open(p.subject(), profile.waId())).isEqualTo(p.phone());
            assertThat(open(p.subject(), profile.businessScopedUserId())).isEqualTo(p.bsuid());
            assertThat(open(p.subject(), profile.parentBusinessScopedUserId())).isEqualTo(p.parent());
            assertThat(open(p.subject(), profile.username())).isEqualTo(p.username());

            post(p.payload("message_bsuid_only.json"));
            post(p.payload("message_username_only.json"));
            post(p.payload("status_bsuid_only.json"));
            List<String> ids = List.of(p.wamid("bsuid-only"), p.wamid("username-only"), p.wamid("status-bsuid-only"));
            List<ConsumerRecord<String, CloudEvent>> later = kafka.await(3, r -> !r.topic().equals(Topics.WA_CONTACT)
                    && ids.stream().anyMatch(id -> r.value().id().contains(id)), Duration.ofSeconds(20));
            assertThat(later).hasSize(3).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(p.subject());
                assertThat(r.value().subject()).isEqualTo(p.subject());
            });
        }
    }

    @Test
    void aLinkRecordedElsewhereIsFoundThroughConsentService() {
        Person p = Person.fresh();
        String subject = IDS.fromWhatsAppId(p.phone());
        KeyVaultStandIn.LINKS.put(IDS.fromBusinessScopedUserId(p.bsuid()), subject);
        KeyVaultStandIn.LINKS.put(IDS.fromUsername(p.username()), subject);
        int calls = KeyVaultStandIn.LINK_CALLS.get();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS, Topics.WA_INBOUND)) {
            post(p.payload("status_bsuid_only.json"));
            post(p.payload("message_username_only.json"));
            assertThat(kafka.await(2, r -> r.key().equals(subject), Duration.ofSeconds(20))).hasSize(2);
        }
        assertThat(KeyVaultStandIn.LINK_CALLS.get() - calls).isEqualTo(2);
        // known now: the same status again asks nothing
        post(p.payload("status_bsuid_only.json"));
        assertThat(KeyVaultStandIn.LINK_CALLS.get() - calls).isEqualTo(2);
    }

    @Test
    void aNumberChangeAndAUserIdChangeKeepThePersonsSubject() {
        Person p = Person.fresh();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_CONTACT, Topics.WA_INBOUND, Topics.WA_STATUS)) {
            post(p.payload("system_user_changed_number.json"));
            WaContact moved = one(kafka, "user_changed_number").dataAs(WaContact.class);
            assertThat(moved.change()).isEqualTo(WaContact.CHANGED_NUMBER);
            assertThat(open(p.subject(), moved.waId())).isEqualTo(p.newPhone());

            post(p.payload("system_user_changed_user_id.json"));
            WaContact newId = one(kafka, "user_changed_user_id").dataAs(WaContact.class);
            assertThat(newId.change()).isEqualTo(WaContact.CHANGED_USER_ID);
            assertThat(open(p.subject(), newId.businessScopedUserId())).isEqualTo(p.newBsuid());

            // the new number writes, and a status names only the new BSUID: both are the same person
            byte[] fromNewNumber = new String(p.payload("contact_phone_and_bsuid.json"), StandardCharsets.UTF_8)
                    .replace(p.phone(), p.newPhone()).replace(p.bsuid(), p.newBsuid()).getBytes(StandardCharsets.UTF_8);
            post(fromNewNumber);
            byte[] statusOfNewBsuid = new String(p.payload("status_bsuid_only.json"), StandardCharsets.UTF_8)
                    .replace(p.bsuid(), p.newBsuid()).getBytes(StandardCharsets.UTF_8);
            post(statusOfNewBsuid);
            Person renamed = new Person(p.newPhone(), p.newBsuid(), p.parent(), p.username(), p.newPhone(), p.newBsuid());
            List<String> ids = List.of(renamed.wamid("both-ids"), renamed.wamid("status-bsuid-only"));
            List<ConsumerRecord<String, CloudEvent>> after = kafka.await(2, r -> !r.topic().equals(Topics.WA_CONTACT)
                    && ids.stream().anyMatch(id -> r.value().id().contains(id)), Duration.ofSeconds(20));
            assertThat(after).hasSize(2).allSatisfy(r -> assertThat(r.key()).isEqualTo(p.subject()));
        }
    }

    @Test
    void anErasureDropsThePersonsCachedLinksAtOnce() {
        Person p = Person.fresh();
        String subject = IDS.fromWhatsAppId(p.phone());
        String bsuidHash = IDS.fromBusinessScopedUserId(p.bsuid());
        KeyVaultStandIn.LINKS.put(bsuidHash, subject);
        int calls = KeyVaultStandIn.LINK_CALLS.get();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS, Topics.PRIVACY_ERASURE_ACK)) {
            post(p.payload("status_bsuid_only.json"));
            assertThat(kafka.await(1, r -> r.key().equals(subject), Duration.ofSeconds(20))).hasSize(1);
            assertThat(KeyVaultStandIn.LINK_CALLS.get() - calls).as("asked once, then cached").isEqualTo(1);

            // the person is erased: consent-service deleted their links and publishes the request; this replica takes it
            KeyVaultStandIn.LINKS.remove(bsuidHash);
            String request = "dsr-" + p.bsuid();
            kafka.send(Topics.PRIVACY_ERASURE, subject, CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + request, "/sohbet/consent-service",
                    java.time.Instant.now(), subject, new io.sohbet.events.payload.PrivacyErasure(request, java.time.Instant.now())));
            assertThat(kafka.await(1, r -> r.topic().equals(Topics.PRIVACY_ERASURE_ACK) && r.value().id().contains(request),
                    Duration.ofSeconds(30))).hasSize(1);

            // the cached link went with the erasure: the BSUID is asked about again, and is nobody's now
            byte[] again = new String(p.payload("status_bsuid_only.json"), StandardCharsets.UTF_8)
                    .replace("status-bsuid-only", "status-bsuid-only-after").getBytes(StandardCharsets.UTF_8);
            post(again);
            assertThat(kafka.await(1, r -> r.topic().equals(Topics.WA_STATUS) && r.key().equals(bsuidHash), Duration.ofSeconds(20)))
                    .as("the status resolved without the erased person's link").hasSize(1);
            assertThat(KeyVaultStandIn.LINK_CALLS.get() - calls).as("asked again after the erasure").isEqualTo(2);
        }
    }

    @Test
    void whenConsentServiceIsDownTheWebhookIsTakenInByDerivationAndCounted() {
        Person p = Person.fresh();
        double before = fallbacks();
        KeyVaultStandIn.LINKS_AVAILABLE.set(false);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS)) {
            post(p.payload("status_bsuid_only.json"));
            String derived = IDS.fromBusinessScopedUserId(p.bsuid());
            assertThat(kafka.await(1, r -> r.key().equals(derived), Duration.ofSeconds(20))).hasSize(1);
        } finally {
            KeyVaultStandIn.LINKS_AVAILABLE.set(true);
        }
        assertThat(fallbacks() - before).isEqualTo(1.0);
    }

    double fallbacks() {
        Counter c = registry.find(WhatsAppIngestion.LINK_FALLBACKS).counter();
        return c == null ? 0 : c.count();
    }
}
