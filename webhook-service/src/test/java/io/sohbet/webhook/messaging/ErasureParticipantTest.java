package io.sohbet.webhook.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.PrivacyErasureAck;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureParticipantTest {

    /** {@code %test.sohbet.subject-keys.cache-ttl}: how long any replica may still hold a data key. */
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(3);

    @Test
    void acknowledgesAnErasureOverTheRealBrokerOnceNoReplicaCanHoldTheKey() {
        Instant announced = Instant.now();
        // one acknowledgement per delivery, keyed by the subject, id ack:<request>:webhook-service
        ConsumerRecord<String, CloudEvent> ack = ErasureRequests.deliver("subject-1", "webhook-service", 1).get(0);

        assertThat(ack.value().type()).isEqualTo("sohbet.privacy.erasure-ack.v1");
        assertThat(ack.value().source()).isEqualTo("/sohbet/webhook-service");
        PrivacyErasureAck payload = ack.value().dataAs(PrivacyErasureAck.class);
        assertThat(ack.value().id()).isEqualTo("ack:" + payload.requestId() + ":webhook-service");
        assertThat(payload.service()).isEqualTo("webhook-service");
        assertThat(payload.rowsAffected()).isZero();
        assertThat(ack.value().time()).as("acknowledged after every cached copy of the key expired")
                .isAfterOrEqualTo(announced.plus(KEY_CACHE_TTL));
    }
}
