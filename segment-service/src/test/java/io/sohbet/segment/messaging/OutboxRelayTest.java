package io.sohbet.segment.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
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
class OutboxRelayTest {

    /** More than two of the relay's batches (500), so one run has to go on after a full batch. */
    static final int EVENTS = 1_234;

    @Inject
    Pool pool;

    @Inject
    OutboxRelay relay;

    @Test
    void aRunDrainsTheWholeOutboxAndEveryEventReachesKafkaOnce() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        String[] keys = new String[EVENTS];
        String[] events = new String[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            keys[i] = "relay-" + run + "-" + (i % 7);
            events[i] = new String(CloudEventSerializer.encode(Topics.SEGMENT_MEMBERSHIP, "relay:" + run + ":" + i,
                    "/sohbet/segment-service", now, keys[i], new SegmentMembership("vip", SegmentMembership.ENTERED, now)),
                    StandardCharsets.UTF_8);
        }
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO outbox (topic, event_key, event, created_at) "
                    + "SELECT $1, t.k, t.e, $4 FROM unnest($2::text[], $3::text[]) AS t(k, e)")
                    .execute(Tuple.of(Topics.SEGMENT_MEMBERSHIP, keys, events, now.atOffset(ZoneOffset.UTC))));

            // the scheduled relay may take some of the batches at the same time: together they publish everything once
            VertxContextSupport.subscribeAndAwait(() -> relay.drain());

            var received = kafka.await(EVENTS, r -> r.value().id().startsWith("relay:" + run + ":"), Duration.ofSeconds(30));
            assertThat(received).extracting(r -> r.value().id()).doesNotHaveDuplicates().hasSize(EVENTS);
            assertThat(received).allSatisfy(r -> assertThat(r.key()).startsWith("relay-" + run));
            assertThat(kafka.drain(Duration.ofSeconds(1))).noneMatch(r -> r.value().id().startsWith("relay:" + run + ":"));
        }
        // each batch is marked published once Kafka acknowledged it, in the transaction that claimed it
        long unpublished = EVENTS;
        for (long deadline = System.nanoTime() + 10_000_000_000L; unpublished > 0 && System.nanoTime() < deadline; Thread.sleep(100)) {
            unpublished = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                            "SELECT count(*) FROM outbox WHERE event_key LIKE $1 AND published_at IS NULL")
                    .execute(Tuple.of("relay-" + run + "-%"))).iterator().next().getLong(0);
        }
        assertThat(unpublished).isZero();
    }
}
