package io.sohbet.events;

import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventTest {

    @Test
    void roundTripsThroughTheKafkaSerialisers() {
        WaStatus status = new WaStatus("wamid.X", "failed", Instant.parse("2026-11-22T10:15:30Z"), "123", null,
                null, null, null, null, null, null, null, List.of(new WaError(131049, "t", "d", null)));
        CloudEvent event = CloudEvent.of(Topics.WA_STATUS, "wamid.X:failed:1", "/sohbet/webhook-service",
                status.timestamp(), "subj", status);

        byte[] bytes = new CloudEventSerializer().serialize(Topics.WA_STATUS, event);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"specversion\":\"1.0\"", "\"type\":\"sohbet.wa.status.v1\"",
                "\"time\":\"2026-11-22T10:15:30Z\"", "\"subject\":\"subj\"");

        CloudEvent back = new CloudEventDeserializer().deserialize(Topics.WA_STATUS, bytes);
        assertThat(back).isEqualTo(event);
        assertThat(back.dataAs(WaStatus.class)).isEqualTo(status);
    }

    @Test
    void aCampaignMessageCarriesItsCsatSurveyMarkAndOneWithoutItIsNoSurvey() {
        Instant at = Instant.parse("2026-11-22T10:15:30Z");
        CampaignMessage survey = new CampaignMessage("mid_1", "c1", "A", "interactive", at, true);
        byte[] bytes = new CloudEventSerializer().serialize(Topics.CAMPAIGN_MESSAGE,
                CloudEvent.of(Topics.CAMPAIGN_MESSAGE, "campaign.message:mid_1", "/sohbet/campaign-service", at, "subj", survey));
        assertThat(new CloudEventDeserializer().deserialize(Topics.CAMPAIGN_MESSAGE, bytes).dataAs(CampaignMessage.class))
                .isEqualTo(survey);
        // an event published before the mark existed
        String older = new String(new CloudEventSerializer().serialize(Topics.CAMPAIGN_MESSAGE, CloudEvent.of(Topics.CAMPAIGN_MESSAGE,
                "campaign.message:mid_2", "/sohbet/campaign-service", at, "subj", Map.of("wamid", "mid_2", "campaignId", "c1",
                        "variant", "A", "messageType", "template", "sentAt", "2026-11-22T10:15:30Z"))), StandardCharsets.UTF_8);
        assertThat(new CloudEventDeserializer().deserialize(Topics.CAMPAIGN_MESSAGE, older.getBytes(StandardCharsets.UTF_8))
                .dataAs(CampaignMessage.class)).isEqualTo(new CampaignMessage("mid_2", "c1", "A", "template", at));
    }

    @Test
    void encodingInOnePassGivesTheSameBytesAsTheEnvelope() {
        Instant at = Instant.parse("2026-11-22T10:15:30.123456Z");
        List<Object> payloads = List.of(
                new WaStatus("wamid.X", "read", at, "123", "individual", "c1", "marketing", "marketing", "regular",
                        "PMP", true, "cb", List.of()),
                new WaStatus("wamid.Y", "failed", at, "123", null, null, null, null, null, null, null, null,
                        List.of(new WaError(131049, "t", "\u00e4 \"q\" ü 😀", null))),
                new CommerceEvent("e1", "order.paid", at, "o1", null, new BigDecimal("1299.95"), "TRY",
                        List.of(new CommerceEvent.Item("sku", "shoes", 2, new BigDecimal("649.95"))),
                        new CommerceEvent.Customer("sealed", null, null, null, null, null, Map.of("marketing", true))),
                new WaAccount("account_update", "waba", at, EventJson.MAPPER.createObjectNode().put("n", 1.5)
                        .putNull("nothing")),
                Map.of("plain", List.of(1, 2)));
        for (Object payload : payloads) {
            CloudEvent event = CloudEvent.of(Topics.WA_STATUS, "id-1", "/sohbet/webhook-service", at, null, payload);
            assertThat(new String(CloudEventSerializer.encode(Topics.WA_STATUS, "id-1", "/sohbet/webhook-service", at,
                    null, payload), StandardCharsets.UTF_8))
                    .isEqualTo(new String(new CloudEventSerializer().serialize(Topics.WA_STATUS, event), StandardCharsets.UTF_8));
        }
    }

    /** Null fields and the (implied) content type are not written; events that carried them read the same. */
    @Test
    void nullsAndTheContentTypeAreLeftOutAndReadAsBefore() {
        Instant at = Instant.parse("2026-11-22T10:15:30Z");
        WaStatus status = new WaStatus("wamid.X", "sent", at, "123", null, null, null, null, null, null, null, null, null, "TR");
        CloudEvent event = CloudEvent.of(Topics.WA_STATUS, "id-1", "/sohbet/webhook-service", at, "subj", status);
        String json = new String(new CloudEventSerializer().serialize(Topics.WA_STATUS, event), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"specversion\":\"1.0\",\"id\":\"id-1\",\"type\":\"sohbet.wa.status.v1\","
                + "\"source\":\"/sohbet/webhook-service\",\"time\":\"2026-11-22T10:15:30Z\",\"subject\":\"subj\",\"data\":{"
                + "\"wamid\":\"wamid.X\",\"status\":\"sent\",\"timestamp\":\"2026-11-22T10:15:30Z\",\"businessPhoneNumberId\":\"123\","
                + "\"recipientCountry\":\"TR\"}}");
        assertThat(new String(CloudEventSerializer.encode(Topics.WA_STATUS, "id-1", "/sohbet/webhook-service", at, "subj", status),
                StandardCharsets.UTF_8)).isEqualTo(json);
        // as events were written before: every null, and the content type
        String before = "{\"specversion\":\"1.0\",\"id\":\"id-1\",\"type\":\"sohbet.wa.status.v1\",\"source\":\"/sohbet/webhook-service\","
                + "\"time\":\"2026-11-22T10:15:30Z\",\"subject\":\"subj\",\"datacontenttype\":\"application/json\",\"data\":{"
                + "\"wamid\":\"wamid.X\",\"status\":\"sent\",\"timestamp\":\"2026-11-22T10:15:30Z\",\"businessPhoneNumberId\":\"123\","
                + "\"recipientType\":null,\"conversationId\":null,\"conversationOrigin\":null,\"pricingCategory\":null,"
                + "\"pricingType\":null,\"pricingModel\":null,\"billable\":null,\"bizOpaqueCallbackData\":null,\"errors\":null,"
                + "\"recipientCountry\":\"TR\"}}";
        CloudEvent old = new CloudEventDeserializer().deserialize(Topics.WA_STATUS, before.getBytes(StandardCharsets.UTF_8));
        assertThat(old.dataAs(WaStatus.class)).isEqualTo(status);
        assertThat(old.datacontenttype()).isEqualTo("application/json");
        assertThat(new CloudEventDeserializer().deserialize(Topics.WA_STATUS, json.getBytes(StandardCharsets.UTF_8)).dataAs(WaStatus.class))
                .isEqualTo(status);
        // what a payload carries as a tree or a map keeps its nulls: they are the data, not absent fields
        WaAccount account = new WaAccount("account_update", "waba", at, EventJson.MAPPER.createObjectNode().putNull("ban_info"));
        assertThat(new String(CloudEventSerializer.encode(Topics.WA_ACCOUNT, "id-2", "/sohbet/webhook-service", at, null, account),
                StandardCharsets.UTF_8)).contains("{\"ban_info\":null}");
        java.util.Map<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("k", null);
        assertThat(EventJson.MAPPER.valueToTree(withNull).toString()).isEqualTo("{\"k\":null}");
    }

    @Test
    void unknownFieldsAreTolerated() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"sohbet.wa.status.v1\",\"source\":\"/x\","
                + "\"future\":true,\"data\":{\"wamid\":\"w\",\"status\":\"read\",\"newField\":1}}";
        CloudEvent event = new CloudEventDeserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.dataAs(WaStatus.class).status()).isEqualTo("read");
    }

    @Test
    void garbageIsASerializationException() {
        assertThatThrownBy(() -> new CloudEventDeserializer().deserialize("t", "{nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a Sohbet CloudEvent");
        assertThatThrownBy(() -> new CloudEventDeserializer().deserialize("t", "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void topicsAndTypes() {
        assertThat(Topics.ALL).hasSize(14).doesNotHaveDuplicates().containsAll(Topics.COMPACTED);
        assertThat(Topics.eventType(Topics.PRIVACY_ERASURE_ACK)).isEqualTo("sohbet.privacy.erasure-ack.v1");
        assertThat(Topics.deadLetter(Topics.WA_INBOUND)).isEqualTo("wa.inbound.dlq");
    }
}
