package io.sohbet.campaign.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.campaign.repository.QueuedSendRepository;
import io.sohbet.campaign.repository.QueuedSendRepositoryTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureHandlerTest {

    @Inject
    QueuedSendRepository rows;

    @Test
    void erasesTheSubjectAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String other = "subject-" + UUID.randomUUID();
        QueuedSendRepositoryTest.persist(rows, QueuedSendRepositoryTest.row(subject));
        QueuedSendRepositoryTest.persist(rows, QueuedSendRepositoryTest.row(other));
        String requestId = UUID.randomUUID().toString();

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK)) {
            CloudEvent erasure = CloudEvent.of(Topics.PRIVACY_ERASURE, "erasure:" + requestId, "/sohbet/consent-service",
                    Instant.now(), subject, new PrivacyErasure(requestId, Instant.now()));
            kafka.send(Topics.PRIVACY_ERASURE, subject, erasure);
            kafka.send(Topics.PRIVACY_ERASURE, subject, erasure); // a redelivery changes nothing

            var acks = kafka.await(2, r -> r.value().id().equals("ack:" + requestId + ":campaign-service"),
                    Duration.ofSeconds(30));
            assertThat(acks).allSatisfy(ack -> assertThat(ack.key()).isEqualTo(subject));
            assertThat(acks.stream().map(a -> a.value().dataAs(PrivacyErasureAck.class).rowsAffected()))
                    .containsExactlyInAnyOrder(1L, 0L);
        }
        long left = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.count("subjectId", subject)));
        long kept = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.count("subjectId", other)));
        assertThat(left).isZero();
        assertThat(kept).isEqualTo(1);
    }
}
