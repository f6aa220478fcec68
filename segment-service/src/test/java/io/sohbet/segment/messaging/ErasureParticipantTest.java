package io.sohbet.segment.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.segment.repository.ProfileRepository;
import io.sohbet.segment.repository.ProfileRepositoryTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureParticipantTest {

    @Inject
    ProfileRepository rows;

    @Inject
    Pool pool;

    @Test
    void erasesTheSubjectAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String other = "subject-" + UUID.randomUUID();
        ProfileRepositoryTest.persist(rows, ProfileRepositoryTest.row(subject));
        ProfileRepositoryTest.persist(rows, ProfileRepositoryTest.row(other));

        // a redelivery deletes nothing more and is acknowledged again
        assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(subject, "segment-service", 2)))
                .containsExactlyInAnyOrder(1L, 0L);
        long left = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.count("subjectId", subject)));
        long kept = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.count("subjectId", other)));
        assertThat(left).isZero();
        assertThat(kept).isEqualTo(1);
    }

    @Test
    void anEventAboutTheSubjectStillWaitingInTheOutboxGoesOutAndThenNothingOfItIsLeft() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String membership = "membership:" + UUID.randomUUID();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK, Topics.SEGMENT_MEMBERSHIP)) {
            // a membership change written just before the erasure, not yet published
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                            "INSERT INTO outbox (topic, event_key, event, created_at) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(Topics.SEGMENT_MEMBERSHIP, subject, new String(CloudEventSerializer.encode(
                            Topics.SEGMENT_MEMBERSHIP, membership, "/sohbet/segment-service", now, subject,
                            new SegmentMembership("vip", SegmentMembership.LEFT, now)), StandardCharsets.UTF_8),
                            now.atOffset(ZoneOffset.UTC))));
            kafka.send(Topics.PRIVACY_ERASURE, subject, ErasureRequests.request(requestId, subject, now));

            // the erasure does not swallow it (events still to be published must go out), and the relay deletes it
            var records = kafka.await(2, r -> r.value().id().equals(membership)
                    || r.value().id().equals("ack:" + requestId + ":segment-service"), Duration.ofSeconds(30));
            assertThat(records).extracting(r -> r.value().id()).containsExactlyInAnyOrder(membership,
                    "ack:" + requestId + ":segment-service");
        }
        long left = 1;
        for (long deadline = System.nanoTime() + 20_000_000_000L; left > 0 && System.nanoTime() < deadline; Thread.sleep(100)) {
            left = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM outbox WHERE event_key = $1 "
                    + "OR event LIKE $2").execute(Tuple.of(subject, "%" + subject + "%"))).iterator().next().getLong(0);
        }
        assertThat(left).as("outbox rows about the erased subject").isZero();
    }
}
