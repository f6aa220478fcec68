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
import io.sohbet.events.payload.WaInbound;
import io.sohbet.webhook.Fixtures;
import io.sohbet.webhook.service.ErasedEventDrops;
import io.sohbet.webhook.service.SignatureVerifier;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A late event about an erased person (Meta's retry of an old message, a shop's re-sent order) creates no key and is
 * not published; what the person does after their erasure is a new beginning.
 */
@QuarkusTest
class LateEventsOfErasedPeopleTest {

    private static final SubjectIds IDS = new SubjectIds("dev-pepper-not-for-production".getBytes(StandardCharsets.UTF_8));
    private static final List<String> WHATSAPP_TOPICS = List.of(Topics.WA_INBOUND, Topics.WA_CONTACT, Topics.WA_STATUS,
            Topics.WA_PREFERENCE);

    @Inject
    MeterRegistry registry;

    @Test
    void metasRetryOfAnErasedPersonsOldMessageIsAnswered200AndPublishesNothingAboutThem() {
        String number = "90532" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String other = "90533" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String subject = IDS.fromWhatsAppId(number);
        String otherSubject = IDS.fromWhatsAppId(other);
        Instant erasedAt = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        KeyVaultStandIn.ERASED.put(subject, erasedAt);
        long old = erasedAt.minus(Duration.ofDays(2)).getEpochSecond();
        String oldWamid = "wamid.old." + number;
        String otherWamid = "wamid.other." + other;
        Map<String, Double> dropped = dropped();

        // Meta retries a batch from two days ago: the erased person's message, contact, a status and a STOP, and
        // someone else's message
        String retried = body(change("messages", "\"contacts\":[{\"profile\":{\"name\":\"Deniz\"},\"wa_id\":\"" + number + "\"}],"
                + "\"messages\":[" + message(number, oldWamid, old, "eski mesaj") + "," + message(other, otherWamid, old, "merhaba")
                + "],\"statuses\":[{\"id\":\"wamid.campaign." + number + "\",\"status\":\"read\",\"timestamp\":\"" + old
                + "\",\"recipient_id\":\"" + number + "\"}]") + "," + change("user_preferences", "\"user_preferences\":[{\"wa_id\":\""
                + number + "\",\"category\":\"marketing_messages\",\"value\":\"stop\",\"timestamp\":" + old + "}]"));
        try (KafkaProbe kafka = KafkaProbe.shared().watch(WHATSAPP_TOPICS.toArray(String[]::new))) {
            post(retried).statusCode(200).body("events", equalTo(1));
            kafka.await(1, r -> r.value().id().equals("wa.inbound:" + Fixtures.MESSAGE_IDS.of(otherWamid)), Duration.ofSeconds(20));
            assertThat(otherSubject).isNotEqualTo(subject);
            assertThat(kafka.drain(Duration.ofSeconds(2))).as("events about the erased person")
                    .noneMatch(r -> subject.equals(r.key()) || subject.equals(r.value().subject()));
        }
        assertThat(KeyVaultStandIn.BACK).as("subjects given a key again").doesNotContain(subject);
        Map<String, Double> after = dropped();
        for (String topic : WHATSAPP_TOPICS) {
            assertThat(after.get(topic) - dropped.get(topic)).as("dropped on " + topic).isEqualTo(1.0);
        }

        // the person writes again after the erasure: a new beginning, published and sealed with a (new) key
        String newWamid = "wamid.new." + number;
        long now = Instant.now().getEpochSecond();
        String fresh = body(change("messages", "\"contacts\":[{\"profile\":{\"name\":\"Deniz\"},\"wa_id\":\"" + number + "\"}],"
                + "\"messages\":[" + message(number, newWamid, now, "yeniden merhaba") + "]"));
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_INBOUND, Topics.WA_CONTACT)) {
            post(fresh).statusCode(200).body("events", equalTo(2));
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(2, r -> subject.equals(r.key()), Duration.ofSeconds(20));
            CloudEvent inbound = records.stream().filter(r -> r.topic().equals(Topics.WA_INBOUND)).findFirst().orElseThrow().value();
            assertThat(inbound.id()).isEqualTo("wa.inbound:" + Fixtures.MESSAGE_IDS.of(newWamid));
            assertThat(FieldCipher.decrypt(KeyVaultStandIn.keyOf(subject), subject, inbound.dataAs(WaInbound.class).text()))
                    .isEqualTo("yeniden merhaba");
            CloudEvent contact = records.stream().filter(r -> r.topic().equals(Topics.WA_CONTACT)).findFirst().orElseThrow().value();
            assertThat(contact.time()).as("a contact's time is its message's").isEqualTo(Instant.ofEpochSecond(now));
        }
        assertThat(KeyVaultStandIn.BACK).contains(subject);

        // now that they are back, another retry of the old message still brings nothing from before the erasure
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_INBOUND, Topics.WA_CONTACT)) {
            post(body(change("messages", "\"contacts\":[{\"profile\":{\"name\":\"Deniz\"},\"wa_id\":\"" + number + "\"}],"
                    + "\"messages\":[" + message(number, oldWamid, old, "eski mesaj") + "]"))).statusCode(200).body("events", equalTo(0));
            assertThat(kafka.drain(Duration.ofSeconds(2))).noneMatch(r -> subject.equals(r.key()));
        }
        assertThat(dropped().get(Topics.WA_INBOUND) - after.get(Topics.WA_INBOUND)).isEqualTo(1.0);
    }

    @Test
    void aLateStatusOrPreferenceAloneAboutAnErasedPersonIsAnswered200AndNotPublished() {
        String number = "90535" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String other = "90536" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String subject = IDS.fromWhatsAppId(number);
        String otherSubject = IDS.fromWhatsAppId(other);
        Instant erasedAt = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        KeyVaultStandIn.ERASED.put(subject, erasedAt);
        long old = erasedAt.minus(Duration.ofDays(2)).getEpochSecond();
        // Meta retries a "read" of a campaign message, and a STOP, each in a webhook of its own, with someone else's
        String statuses = body(change("messages", "\"statuses\":[" + status(number, old) + "," + status(other, old) + "]"));
        String preferences = body(change("user_preferences", "\"user_preferences\":[" + preference(number, old) + ","
                + preference(other, old) + "]"));
        Map<String, Double> dropped = dropped();
        int calls = KeyVaultStandIn.CALLS.get();
        int creatingCalls = KeyVaultStandIn.CREATING_CALLS.get();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS, Topics.WA_PREFERENCE)) {
            post(statuses).statusCode(200).body("events", equalTo(1));
            assertThat(KeyVaultStandIn.CALLS.get() - calls).as("vault calls for the subjects of a webhook").isEqualTo(1);
            post(preferences).statusCode(200).body("events", equalTo(1));
            assertThat(KeyVaultStandIn.CALLS.get() - calls).as("vault calls when the cache knows the subjects").isEqualTo(1);
            List<ConsumerRecord<String, CloudEvent>> published = kafka.await(2, r -> otherSubject.equals(r.key()),
                    Duration.ofSeconds(20));
            assertThat(published).extracting(ConsumerRecord::topic).containsExactlyInAnyOrder(Topics.WA_STATUS, Topics.WA_PREFERENCE);
            assertThat(kafka.drain(Duration.ofSeconds(2))).as("events about the erased person")
                    .noneMatch(r -> subject.equals(r.key()) || subject.equals(r.value().subject()));
        }
        assertThat(KeyVaultStandIn.CREATING_CALLS.get()).as("nothing to seal: no key asked for").isEqualTo(creatingCalls);
        assertThat(KeyVaultStandIn.BACK).doesNotContain(subject);
        Map<String, Double> after = dropped();
        assertThat(after.get(Topics.WA_STATUS) - dropped.get(Topics.WA_STATUS)).isEqualTo(1.0);
        assertThat(after.get(Topics.WA_PREFERENCE) - dropped.get(Topics.WA_PREFERENCE)).isEqualTo(1.0);
    }

    @Test
    void aFreshStatusCostsNoVaultCall() {
        String number = "90537" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        long now = Instant.now().getEpochSecond();
        int calls = KeyVaultStandIn.CALLS.get();
        post(body(change("messages", "\"statuses\":[" + status(number, now) + "]"))).statusCode(200).body("events", equalTo(1));
        assertThat(KeyVaultStandIn.CALLS.get() - calls).as("vault calls for a status that is not late").isZero();
    }

    @Test
    void aShopsReSentOrderOfAnErasedCustomerIsAnswered200AndNotPublished() {
        String phone = "+90534" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String subject = IDS.fromPhone(phone);
        KeyVaultStandIn.ERASED.put(subject, Instant.parse("2026-11-21T00:00:00Z"));
        // the shop's ids travel as their keyed hashes
        io.sohbet.events.ShopIds shopIds = io.sohbet.events.ShopIds.withKey("dev-message-id-key-not-for-production");
        String oldShopId = "evt-old-" + phone.substring(1);
        String newShopId = "evt-new-" + phone.substring(1);
        String oldId = shopIds.of(oldShopId);
        String newId = shopIds.of(newShopId);
        double dropped = dropped().get(Topics.COMMERCE_EVENT);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.COMMERCE_EVENT)) {
            // occurred 2026-11-20, before the erasure
            CommerceWebhookResourceTest.post(CommerceWebhookResourceTest.order(oldShopId, phone, "750.00"), "dev-commerce-secret")
                    .statusCode(200).body("eventId", equalTo("commerce:" + oldId)).body("duplicate", equalTo(false));
            CommerceWebhookResourceTest.post(CommerceWebhookResourceTest.order(oldShopId, phone, "750.00"), "dev-commerce-secret")
                    .statusCode(200).body("duplicate", equalTo(true));
            assertThat(KeyVaultStandIn.BACK).doesNotContain(subject);
            assertThat(dropped().get(Topics.COMMERCE_EVENT) - dropped).isEqualTo(1.0);

            // an order after the erasure is a new beginning
            CommerceWebhookResourceTest.post(CommerceWebhookResourceTest.order(newShopId, phone, "90.00")
                    .replace("2026-11-20T12:00:00Z", "2026-11-22T12:00:00Z"), "dev-commerce-secret").statusCode(200);
            kafka.await(1, r -> r.value().id().equals("commerce:" + newId), Duration.ofSeconds(20));
            assertThat(kafka.drain(Duration.ofSeconds(1))).noneMatch(r -> r.value().id().equals("commerce:" + oldId));
        }
        assertThat(KeyVaultStandIn.BACK).contains(subject);
    }

    private Map<String, Double> dropped() {
        return java.util.stream.Stream.concat(WHATSAPP_TOPICS.stream(), java.util.stream.Stream.of(Topics.COMMERCE_EVENT))
                .collect(Collectors.toMap(t -> t, t -> {
                    Counter c = registry.find(ErasedEventDrops.NAME).tag("topic", t).counter();
                    return c == null ? 0.0 : c.count();
                }));
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return WhatsAppWebhookResourceTest.post(bytes, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, bytes));
    }

    private static String body(String changes) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[" + changes + "]}]}";
    }

    private static String change(String field, String value) {
        return "{\"field\":\"" + field + "\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"908505551234\",\"phone_number_id\":\"106540352242922\"}," + value + "}}";
    }

    private static String status(String recipient, long timestamp) {
        return "{\"id\":\"wamid.campaign." + recipient + "\",\"status\":\"read\",\"timestamp\":\"" + timestamp
                + "\",\"recipient_id\":\"" + recipient + "\"}";
    }

    private static String preference(String waId, long timestamp) {
        return "{\"wa_id\":\"" + waId + "\",\"category\":\"marketing_messages\",\"value\":\"stop\",\"timestamp\":"
                + timestamp + "}";
    }

    private static String message(String from, String wamid, long timestamp, String text) {
        return "{\"from\":\"" + from + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + timestamp + "\",\"type\":\"text\","
                + "\"text\":{\"body\":\"" + text + "\"}}";
    }
}
