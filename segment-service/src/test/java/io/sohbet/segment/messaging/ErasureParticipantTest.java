package io.sohbet.segment.messaging;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.segment.testing.ProfileRows;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ErasureParticipantTest {

    @Inject
    Pool pool;

    @Inject
    Scheduler scheduler;

    @Inject
    OutboxRelay relay;

    @Test
    void erasesTheSubjectAndAcknowledgesOverTheRealBroker() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String other = "subject-" + UUID.randomUUID();
        // the scheduled evaluation must not give the profile memberships before the erasure (more rows deleted)
        scheduler.pause();
        try {
            Thread.sleep(500); // a run that started before the pause has finished
            ProfileRows.insert(pool, subject);
            ProfileRows.insert(pool, other);

            // a redelivery deletes nothing more and is acknowledged again
            assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(subject, "segment-service", 2)))
                    .containsExactlyInAnyOrder(1L, 0L);
        } finally {
            scheduler.resume();
        }
        long left = ProfileRows.count(pool, subject);
        long kept = ProfileRows.count(pool, other);
        assertThat(left).isZero();
        assertThat(kept).isEqualTo(1);
    }

    @Test
    void anEventAboutTheSubjectStillWaitingInTheOutboxIsDeletedAndNeverPublished() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String membership = "membership:" + UUID.randomUUID();
        scheduler.pause(); // the relay must not publish the row before the erasure (as it may in production)
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK, Topics.SEGMENT_MEMBERSHIP)) {
            Thread.sleep(500); // a relay run that started before the pause has finished
            // a membership change written just before the erasure, not yet published
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                            "INSERT INTO outbox (topic, event_key, event, created_at) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(Topics.SEGMENT_MEMBERSHIP, subject, new String(CloudEventSerializer.encode(
                            Topics.SEGMENT_MEMBERSHIP, membership, "/sohbet/segment-service", now, subject,
                            new SegmentMembership("vip", SegmentMembership.LEFT, now)), StandardCharsets.UTF_8),
                            now.atOffset(ZoneOffset.UTC))));
            // and one in the membership outbox, where this version writes them
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                            "INSERT INTO membership_outbox (segment_id, subject_id, entered, at) VALUES ('active', $1, TRUE, $2)")
                    .execute(Tuple.of(subject, now.atOffset(ZoneOffset.UTC))));
            kafka.send(Topics.PRIVACY_ERASURE, subject, ErasureRequests.request(requestId, subject, now));

            var ack = kafka.await(1, r -> r.value().id().equals("ack:" + requestId + ":segment-service"), Duration.ofSeconds(30));
            assertThat(ErasureRequests.rowsAffected(ack)).containsExactly(2L);
            assertThat(outboxRowsAbout(subject)).as("outbox rows about the erased subject").isZero();

            scheduler.resume();
            relay.drain().await().atMost(Duration.ofSeconds(10));
            assertThat(kafka.drain(Duration.ofSeconds(2))).extracting(r -> r.value().id()).doesNotContain(membership)
                    .noneMatch(id -> id.contains(subject));
        } finally {
            scheduler.resume();
        }
    }

    @Test
    void aBurstOfErasuresWaitsForTheCachedKeysOnceNotOncePerRequest() throws Throwable {
        int burst = 20;
        List<String> subjects = IntStream.range(0, burst).mapToObj(i -> "subject-" + UUID.randomUUID()).toList();
        for (String subject : subjects) {
            ProfileRows.insert(pool, subject);
        }
        Map<String, String> acks = new HashMap<>(); // ack id → subject
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.PRIVACY_ERASURE_ACK)) {
            for (String subject : subjects) {
                String requestId = UUID.randomUUID().toString();
                acks.put("ack:" + requestId + ":segment-service", subject);
                kafka.sendAsync(Topics.PRIVACY_ERASURE, subject, ErasureRequests.request(requestId, subject, Instant.now()));
            }
            kafka.flush();
            long started = System.nanoTime();
            // one at a time from consumption, each would wait cache-ttl (3 s) + margin (5 s): 160 s for the burst
            // an ack may come twice with the same id (at-least-once; consent-service records it once): each id counts once
            java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            var records = kafka.await(burst, r -> acks.containsKey(r.value().id()) && seen.add(r.value().id()), Duration.ofSeconds(30));
            assertThat(records).extracting(r -> r.value().id()).containsExactlyInAnyOrderElementsOf(acks.keySet());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
        for (String subject : subjects) {
            long left = ProfileRows.count(pool, subject);
            assertThat(left).as("profile rows of %s", subject).isZero();
        }
    }

    private long outboxRowsAbout(String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM outbox WHERE event_key = $1 "
                + "OR event LIKE $2").execute(Tuple.of(subject, "%" + subject + "%"))).iterator().next().getLong(0)
                + VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM membership_outbox WHERE subject_id = $1")
                        .execute(Tuple.of(subject))).iterator().next().getLong(0);
    }
}
