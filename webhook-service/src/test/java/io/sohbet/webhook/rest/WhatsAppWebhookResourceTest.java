package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.http.ContentType;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.Fixtures;
import io.sohbet.webhook.service.SignatureVerifier;
import io.sohbet.webhook.service.WhatsAppIngestion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class WhatsAppWebhookResourceTest {

    @Inject
    MeterRegistry registry;

    static final String APP_SECRET = "dev-app-secret";

    static io.restassured.response.ValidatableResponse post(byte[] body, String signature) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.when().post("/webhooks/whatsapp").then();
    }

    @Test
    void handshakeEchoesTheChallenge() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "dev-verify-token")
                .queryParam("hub.challenge", "1158201444")
                .when().get("/webhooks/whatsapp")
                .then().statusCode(200).contentType(containsString("text/plain")).body(equalTo("1158201444"));
    }

    @Test
    void handshakeWithAWrongTokenOrModeIs403() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "guess").queryParam("hub.challenge", "1")
                .when().get("/webhooks/whatsapp").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", "dev-verify-token")
                .queryParam("hub.challenge", "1").when().get("/webhooks/whatsapp").then().statusCode(403);
    }

    @Test
    void everySharedFixtureIsAcceptedWhenSignedOverItsExactBytes() throws Exception {
        Path dir = Fixtures.sharedDir();
        Map<String, Map<String, Integer>> expected = Fixtures.expectations();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                byte[] body = Files.readAllBytes(file);
                int events = expected.get(file.getFileName().toString()).values().stream().mapToInt(Integer::intValue).sum();
                post(body, SignatureVerifier.sign(APP_SECRET, body)).statusCode(200).body("events", equalTo(events));
            }
        }
    }

    @Test
    void metaEscapedUnicodeAndSlashesAreVerifiedOverTheRawBytesAndPublished() {
        byte[] body = Fixtures.own("all_inbound_types_meta_escaped.json");
        assertThat(new String(body, StandardCharsets.US_ASCII)).contains("\\u015f", "\\/", "\\ud83d");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_INBOUND, Topics.WA_CONTACT)) {
            // 24 messages, the profile, and the new number of its user_changed_number (a wa.contact that links it)
            post(body, SignatureVerifier.sign(APP_SECRET, body)).statusCode(200).body("events", equalTo(26));
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(26, r -> true, Duration.ofSeconds(20));
            ConsumerRecord<String, CloudEvent> text = records.stream()
                    .filter(r -> r.value().id().equals("wa.inbound:" + Fixtures.MESSAGE_IDS.of("wamid.sohbet-text"))).findFirst().orElseThrow();
            assertThat(text.key()).isEqualTo(text.value().subject());
            String sealed = text.value().dataAs(WaInbound.class).text();
            assertThat(FieldCipher.decrypt(KeyVaultStandIn.keyOf(text.key()), text.key(), sealed))
                    .isEqualTo("Siparişim nerede? İade istiyorum 🙏 https://shop.example/o/42");
            assertThat(records).allSatisfy(r -> assertThat(new String(new io.sohbet.events.CloudEventSerializer()
                    .serialize(r.topic(), r.value()), StandardCharsets.UTF_8)).doesNotContain("905321234567", "905329999999", "Ayşe"));
        }
    }

    @Test
    void aBatchOfAThousandUpdatesAcrossEntriesAndChangesIsStoredWhole() {
        // Meta batches up to 1000 updates: here 4 entries x 5 changes x 50 statuses, each one event
        String run = Long.toHexString(System.nanoTime());
        java.util.Set<String> ids = new java.util.HashSet<>();
        StringBuilder entries = new StringBuilder();
        for (int e = 0; e < 4; e++) {
            StringBuilder changes = new StringBuilder();
            for (int c = 0; c < 5; c++) {
                StringBuilder statuses = new StringBuilder();
                for (int i = 0; i < 50; i++) {
                    int n = (e * 5 + c) * 50 + i;
                    ids.add("wa.status:" + Fixtures.MESSAGE_IDS.of("wamid.batch." + run + "." + n) + ":delivered:1763800000");
                    statuses.append(i == 0 ? "" : ",").append("{\"id\":\"wamid.batch.").append(run).append('.').append(n)
                            .append("\",\"status\":\"delivered\",\"timestamp\":\"1763800000\",\"recipient_id\":\"90532")
                            .append(String.format("%07d", n)).append("\"}");
                }
                changes.append(c == 0 ? "" : ",").append("{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
                        + "\"metadata\":{\"display_phone_number\":\"908505551234\",\"phone_number_id\":\"106540352242922\"},"
                        + "\"statuses\":[").append(statuses).append("]}}");
            }
            entries.append(e == 0 ? "" : ",").append("{\"id\":\"10229012934039").append(e).append("\",\"changes\":[")
                    .append(changes).append("]}");
        }
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[" + entries + "]}").getBytes(StandardCharsets.UTF_8);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS)) {
            post(body, SignatureVerifier.sign(APP_SECRET, body)).statusCode(200).body("events", equalTo(1000));
            // answered 200 only after Kafka acknowledged them: all are there, each once
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(1000,
                    r -> ids.contains(r.value().id()), Duration.ofSeconds(30));
            assertThat(records).extracting(r -> r.value().id()).doesNotHaveDuplicates().hasSize(1000);
            assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().subject()));
        }
    }

    @Test
    void theSameBodyReSerialisedFailsVerification() {
        byte[] escaped = Fixtures.own("all_inbound_types_meta_escaped.json");
        byte[] plain = Fixtures.own("all_inbound_types.json");
        post(plain, SignatureVerifier.sign(APP_SECRET, escaped)).statusCode(401);
    }

    @Test
    void missingOrWrongSignatureIs401() {
        byte[] body = Fixtures.own("all_statuses.json");
        post(body, null).statusCode(401).contentType(Problem.MEDIA_TYPE).body("title", equalTo("Invalid signature"));
        post(body, "sha256=" + "0".repeat(64)).statusCode(401);
        post(body, "sha256=nothex").statusCode(401);
        post(body, SignatureVerifier.sign("another-secret", body)).statusCode(401);
    }

    @Test
    void notJsonOrNotWhatsAppIs400() {
        byte[] notJson = "hello".getBytes(StandardCharsets.UTF_8);
        post(notJson, SignatureVerifier.sign(APP_SECRET, notJson)).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("not valid JSON"));
        byte[] page = "{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        post(page, SignatureVerifier.sign(APP_SECRET, page)).statusCode(400).body("detail", containsString("whatsapp_business_account"));
    }

    @Test
    void bodiesOverTheLimitAre413() {
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        post(big, SignatureVerifier.sign(APP_SECRET, big)).statusCode(413).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aKeyVaultOutageIs503AndNothingIsPublished() {
        byte[] body = Fixtures.own("all_inbound_types.json");
        KeyVaultStandIn.AVAILABLE.set(false);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_INBOUND)) {
            // a subject not seen before, so its key is not cached
            byte[] fresh = new String(body, StandardCharsets.UTF_8).replace("905321234567", "905327654321")
                    .getBytes(StandardCharsets.UTF_8);
            post(fresh, SignatureVerifier.sign(APP_SECRET, fresh)).statusCode(503).header("Retry-After", "5");
            assertThat(kafka.drain(Duration.ofSeconds(2))).isEmpty();
        } finally {
            KeyVaultStandIn.AVAILABLE.set(true);
        }
    }

    @Test
    void accountWebhooksGoOutWithOnlyAllowListedFactsAndTheDroppedValuesAreCountedByField() {
        Map<String, Integer> events = Map.of("history_chat_sync.json", 3, "smb_app_state_sync_contacts.json", 1,
                "smb_message_echoes_customers.json", 1);
        Map<String, Double> before = new java.util.HashMap<>();
        for (String field : List.of("history", "smb_app_state_sync", "smb_message_echoes")) {
            before.put(field, dropped(field));
        }
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_ACCOUNT)) {
            events.forEach((name, count) -> {
                byte[] body = Fixtures.own(name);
                post(body, SignatureVerifier.sign(APP_SECRET, body)).statusCode(200).body("events", equalTo(count));
            });
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(5, r -> r.value().id().matches(
                    "wa\\.account:(history|smb_app_state_sync|smb_message_echoes):.*"), Duration.ofSeconds(20));
            // what is on the topic holds none of the customers' numbers, names, texts, places or wamids
            assertThat(records).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("account:102290129340398");
                assertThat(new String(new io.sohbet.events.CloudEventSerializer().serialize(r.topic(), r.value()),
                        StandardCharsets.UTF_8)).doesNotContain(Fixtures.CUSTOMER_DATA_IN_ACCOUNT_PAYLOADS);
            });
            // and keeps the business's facts
            List<com.fasterxml.jackson.databind.JsonNode> values = records.stream()
                    .map(r -> r.value().dataAs(WaAccount.class).value()).toList();
            assertThat(values).allSatisfy(v -> assertThat(v.at("/metadata/phone_number_id").asText()).isEqualTo("106540352242922"));
            assertThat(values).anySatisfy(v -> assertThat(v.at("/history/0/metadata/progress").asInt()).isEqualTo(55));
            assertThat(values).anySatisfy(v -> assertThat(v.at("/history/0/errors/0/code").asInt()).isEqualTo(2593109));
            assertThat(values).anySatisfy(v -> assertThat(v.at("/state_sync/2/action").asText()).isEqualTo("remove"));
            assertThat(values).anySatisfy(v -> assertThat(v.at("/message_echoes/3/type").asText()).isEqualTo("contacts"));
        }
        assertThat(dropped("history") - before.get("history")).isEqualTo(61);
        assertThat(dropped("smb_app_state_sync") - before.get("smb_app_state_sync")).isEqualTo(7);
        assertThat(dropped("smb_message_echoes") - before.get("smb_message_echoes")).isPositive();
        // meters are tagged by field only: no value of the payloads in any tag
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
                .allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain(Fixtures.CUSTOMER_DATA_IN_ACCOUNT_PAYLOADS)));
    }

    double dropped(String field) {
        var counter = registry.find(WhatsAppIngestion.DROPPED).tag("field", field).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void statusesNeedNoKeysAndAtMostOneErasureCheckPerWebhook() {
        byte[] body = Fixtures.own("all_statuses.json");
        int before = KeyVaultStandIn.CALLS.get();
        int creating = KeyVaultStandIn.CREATING_CALLS.get();
        post(body, SignatureVerifier.sign(APP_SECRET, body)).statusCode(200).body("events", equalTo(6));
        assertThat(KeyVaultStandIn.CALLS.get() - before).as("one erasure check for all subjects, or none if cached")
                .isLessThanOrEqualTo(1);
        int afterFirst = KeyVaultStandIn.CALLS.get();
        post(body, SignatureVerifier.sign(APP_SECRET, body)).statusCode(200).body("events", equalTo(6));
        assertThat(KeyVaultStandIn.CALLS.get()).as("the cache answers a retry").isEqualTo(afterFirst);
        assertThat(KeyVaultStandIn.CREATING_CALLS.get()).as("no key asked for").isEqualTo(creating);
    }
}
