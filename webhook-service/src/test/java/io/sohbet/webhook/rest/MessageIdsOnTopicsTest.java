package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.PhoneForms;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.webhook.service.SignatureVerifier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.sohbet.webhook.Fixtures.MESSAGE_IDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A wamid is base64 around the customer's number. Signed webhooks of every kind that carries one (statuses, a text,
 * a reply with its context, a reaction, a quick-reply tap, a button reply, an edit, a revoke) go in; what comes out on
 * Kafka holds no {@code wamid.}, no base64 of the number and not the number, and every id is the keyed hash.
 */
@QuarkusTest
class MessageIdsOnTopicsTest {

    static final String NUMBER = "905326660044"; // a number no other test uses, so its key is not cached
    static final String NATIONAL = NUMBER.substring(2);
    static final String CAMPAIGN_WAMID = metaWamid(NUMBER, "3EB0C2F6A7D1E4B59C8F");
    static final String TEXT = metaWamid(NUMBER, "A1B2C3D4E5F60718293A");
    static final String REPLY = metaWamid(NUMBER, "B2C3D4E5F60718293A4B");
    static final String REACTION = metaWamid(NUMBER, "C3D4E5F60718293A4B5C");
    static final String TAP = metaWamid(NUMBER, "D4E5F60718293A4B5C6D");
    static final String BUTTON = metaWamid(NUMBER, "E5F60718293A4B5C6D7E");
    static final String EDIT = metaWamid(NUMBER, "F60718293A4B5C6D7E8F");
    static final String REVOKE = metaWamid(NUMBER, "0718293A4B5C6D7E8F90");

    /** A wamid built as Meta builds them: base64 of a small record holding the number and a random part. */
    static String metaWamid(String number, String random) {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x1c, 0x18, (byte) number.length()});
        record.writeBytes(number.getBytes(StandardCharsets.US_ASCII));
        record.writeBytes(new byte[] {0x15, 0x02, 0x00, 0x11, 0x18, (byte) random.length()});
        record.writeBytes(random.getBytes(StandardCharsets.US_ASCII));
        record.write(0);
        return "wamid." + Base64.getEncoder().encodeToString(record.toByteArray());
    }

    @Test
    void noClearMessageIdOrNumberLeavesTheService() {
        assertThat(PhoneForms.foundIn(CAMPAIGN_WAMID, NATIONAL)).as("the test's wamids do hold the number").isNotEmpty();
        String statuses = value("\"statuses\":[" + status("sent", 1795400001) + "," + status("delivered", 1795400002) + ","
                + status("read", 1795400003) + "," + status("failed", 1795400004).replace("}", ",\"errors\":[{\"code\":131049,"
                + "\"title\":\"held back\"}]}") + "]");
        String messages = value("\"contacts\":[{\"profile\":{\"name\":\"Deniz\"},\"wa_id\":\"" + NUMBER + "\"}],\"messages\":["
                + message(TEXT, "text", "\"text\":{\"body\":\"merhaba\"}") + ","
                + message(REPLY, "text", "\"context\":{\"from\":\"908505551234\",\"id\":\"" + CAMPAIGN_WAMID + "\"},"
                        + "\"text\":{\"body\":\"evet, istiyorum\"}") + ","
                + message(REACTION, "reaction", "\"reaction\":{\"message_id\":\"" + CAMPAIGN_WAMID + "\",\"emoji\":\"\\ud83d\\udc4d\"}") + ","
                + message(TAP, "button", "\"context\":{\"from\":\"908505551234\",\"id\":\"" + CAMPAIGN_WAMID + "\"},"
                        + "\"button\":{\"payload\":\"csat_5\",\"text\":\"5\"}") + ","
                + message(BUTTON, "interactive", "\"context\":{\"from\":\"908505551234\",\"message_id\":\"" + CAMPAIGN_WAMID + "\"},"
                        + "\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"yes\",\"title\":\"Evet\"}}") + ","
                + message(EDIT, "edit", "\"edit\":{\"original_message_id\":\"" + TEXT + "\",\"message\":{\"type\":\"text\","
                        + "\"text\":{\"body\":\"merhabalar\"}}}") + ","
                + message(REVOKE, "revoke", "\"revoke\":{\"original_message_id\":\"" + REPLY + "\"}") + "]");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS, Topics.WA_INBOUND, Topics.WA_CONTACT, Topics.WA_ACCOUNT)) {
            post(statuses, 4);
            post(messages, 8);
            String subject = new SubjectIds("dev-pepper-not-for-production".getBytes(StandardCharsets.UTF_8)).fromWhatsAppId(NUMBER);
            List<ConsumerRecord<String, CloudEvent>> records = kafka.await(12, r -> subject.equals(r.key()), Duration.ofSeconds(30));

            for (ConsumerRecord<String, CloudEvent> r : records) {
                String stored = r.key() + "\n" + new String(new CloudEventSerializer().serialize(r.topic(), r.value()), StandardCharsets.UTF_8);
                assertThat(stored).as(r.topic()).doesNotContain("wamid.");
                assertThat(PhoneForms.foundIn(stored, NATIONAL)).as("the number, or its base64, in " + stored).isEmpty();
            }

            String campaign = MESSAGE_IDS.of(CAMPAIGN_WAMID);
            List<CloudEvent> status = records.stream().filter(r -> r.topic().equals(Topics.WA_STATUS)).map(ConsumerRecord::value).toList();
            assertThat(status).extracting(e -> e.dataAs(WaStatus.class).wamid()).containsOnly(campaign).hasSize(4);
            assertThat(status).extracting(CloudEvent::id).containsExactlyInAnyOrder("wa.status:" + campaign + ":sent:1795400001",
                    "wa.status:" + campaign + ":delivered:1795400002", "wa.status:" + campaign + ":read:1795400003",
                    "wa.status:" + campaign + ":failed:1795400004");

            Map<String, WaInbound> inbound = records.stream().filter(r -> r.topic().equals(Topics.WA_INBOUND))
                    .collect(Collectors.toMap(r -> r.value().id(), r -> r.value().dataAs(WaInbound.class)));
            Function<String, WaInbound> byWamid = wamid -> inbound.get("wa.inbound:" + MESSAGE_IDS.of(wamid));
            assertThat(inbound).hasSize(7);
            assertThat(inbound.values()).allSatisfy(m -> assertThat(m.wamid()).matches("mid_[A-Za-z0-9_-]{24}"));
            assertThat(byWamid.apply(TEXT).wamid()).isEqualTo(MESSAGE_IDS.of(TEXT));
            assertThat(byWamid.apply(TEXT).contextWamid()).isNull();
            assertThat(byWamid.apply(REPLY).contextWamid()).as("a reply's context joins the campaign message").isEqualTo(campaign);
            assertThat(byWamid.apply(REACTION).reactionToWamid()).isEqualTo(campaign);
            assertThat(byWamid.apply(TAP).contextWamid()).isEqualTo(campaign);
            assertThat(byWamid.apply(BUTTON).contextWamid()).isEqualTo(campaign);
            assertThat(byWamid.apply(EDIT).contextWamid()).isEqualTo(MESSAGE_IDS.of(TEXT));
            assertThat(byWamid.apply(REVOKE).contextWamid()).isEqualTo(MESSAGE_IDS.of(REPLY));

            assertThat(records.stream().filter(r -> r.topic().equals(Topics.WA_CONTACT)).map(r -> r.value().id()))
                    .containsExactly("wa.contact:" + subject + ":" + MESSAGE_IDS.of(TEXT));
        }
    }

    private static void post(String value, int events) {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":" + value + "}]}]}").getBytes(StandardCharsets.UTF_8);
        WhatsAppWebhookResourceTest.post(body, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, body))
                .statusCode(200).body("events", equalTo(events));
    }

    private static String value(String items) {
        return "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"908505551234\","
                + "\"phone_number_id\":\"106540352242922\"}," + items + "}";
    }

    private static String status(String status, long at) {
        return "{\"id\":\"" + CAMPAIGN_WAMID + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + at + "\",\"recipient_id\":\""
                + NUMBER + "\"}";
    }

    private static String message(String wamid, String type, String parts) {
        return "{\"from\":\"" + NUMBER + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"1795400010\",\"type\":\"" + type + "\","
                + parts + "}";
    }
}
