package io.sohbet.webhook.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureAcknowledgerTest {

    @Test
    void acknowledgesAnErasureOverTheRealBroker() {
        String requestId = UUID.randomUUID().toString();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK)) {
            kafka.send(Topics.PRIVACY_ERASURE, "subject-1", CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + requestId,
                    "/sohbet/consent-service", Instant.now(), "subject-1", new PrivacyErasure(requestId, Instant.now())));

            List<ConsumerRecord<String, CloudEvent>> acks = kafka.await(1,
                    r -> r.value().id().equals("ack:" + requestId + ":webhook-service"), Duration.ofSeconds(30));

            ConsumerRecord<String, CloudEvent> ack = acks.get(0);
            assertThat(ack.key()).isEqualTo("subject-1");
            assertThat(ack.value().type()).isEqualTo("sohbet.privacy.erasure-ack.v1");
            PrivacyErasureAck payload = ack.value().dataAs(PrivacyErasureAck.class);
            assertThat(payload.requestId()).isEqualTo(requestId);
            assertThat(payload.service()).isEqualTo("webhook-service");
        }
    }
}
