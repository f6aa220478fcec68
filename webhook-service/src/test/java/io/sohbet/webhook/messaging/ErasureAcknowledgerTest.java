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

    /** {@code %test.sohbet.subject-keys.cache-ttl}: how long any replica may still hold a data key. */
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(3);

    @Test
    void acknowledgesAnErasureOverTheRealBrokerOnceNoReplicaCanHoldTheKey() {
        String requestId = UUID.randomUUID().toString();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK)) {
            Instant announced = Instant.now();
            kafka.send(Topics.PRIVACY_ERASURE, "subject-1", CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + requestId,
                    "/sohbet/consent-service", announced, "subject-1", new PrivacyErasure(requestId, announced)));

            List<ConsumerRecord<String, CloudEvent>> acks = kafka.await(1,
                    r -> r.value().id().equals("ack:" + requestId + ":webhook-service"), Duration.ofSeconds(30));

            ConsumerRecord<String, CloudEvent> ack = acks.get(0);
            assertThat(ack.key()).isEqualTo("subject-1");
            assertThat(ack.value().type()).isEqualTo("sohbet.privacy.erasure-ack.v1");
            PrivacyErasureAck payload = ack.value().dataAs(PrivacyErasureAck.class);
            assertThat(payload.requestId()).isEqualTo(requestId);
            assertThat(payload.service()).isEqualTo("webhook-service");
            assertThat(ack.value().time()).as("acknowledged after every cached copy of the key expired")
                    .isAfterOrEqualTo(announced.plus(KEY_CACHE_TTL));
        }
    }
}
