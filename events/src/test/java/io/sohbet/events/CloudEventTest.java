package io.sohbet.events;

import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

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
        assertThat(Topics.ALL).hasSize(12).doesNotHaveDuplicates();
        assertThat(Topics.eventType(Topics.PRIVACY_ERASURE_ACK)).isEqualTo("sohbet.privacy.erasure-ack.v1");
        assertThat(Topics.deadLetter(Topics.WA_INBOUND)).isEqualTo("wa.inbound.dlq");
    }
}
