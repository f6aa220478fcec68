package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.domain.ErasureAck;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.repository.ErasureAckRepository;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasureAck;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureAckRecorderTest {

    @Inject
    Database database;

    @Inject
    ErasureAckRepository acks;

    @Test
    void recordsAcknowledgementsFromTheRealBrokerOnce() throws Throwable {
        String requestId = UUID.randomUUID().toString();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (String service : List.of("metrics-service", "segment-service", "metrics-service")) {
                kafka.send(Topics.PRIVACY_ERASURE_ACK, "subject-9", CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                        "ack:" + requestId + ":" + service, "/sohbet/" + service, Instant.now(), "subject-9",
                        new PrivacyErasureAck(requestId, service, Instant.now(), 3)));
            }
        }
        List<ErasureAck> recorded = List.of();
        long deadline = System.currentTimeMillis() + 30_000;
        while (recorded.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            recorded = VertxContextSupport.subscribeAndAwait(() ->
                    database.withConnection(() -> acks.forRequest(requestId)));
        }
        assertThat(recorded).extracting(a -> a.key.service).containsExactlyInAnyOrder("metrics-service", "segment-service");
        assertThat(recorded).allSatisfy(a -> {
            assertThat(a.subjectId).isEqualTo("subject-9");
            assertThat(a.rowsAffected).isEqualTo(3);
        });
    }
}
