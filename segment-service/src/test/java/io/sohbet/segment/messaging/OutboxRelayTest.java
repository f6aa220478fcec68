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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

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
    void aRunDrainsTheWholeOutboxEveryEventReachesKafkaOnceAndNoRowIsLeft() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            insert("relay-" + run, EVENTS);

            // the scheduled relay may take some of the batches at the same time: together they publish everything once
            VertxContextSupport.subscribeAndAwait(() -> relay.drain());

            var received = kafka.await(EVENTS, r -> r.value().id().startsWith("relay-" + run + ":"), Duration.ofSeconds(30));
            assertThat(received).extracting(r -> r.value().id()).doesNotHaveDuplicates().hasSize(EVENTS);
            assertThat(received).allSatisfy(r -> assertThat(r.key()).startsWith("relay-" + run));
            assertThat(kafka.drain(Duration.ofSeconds(1))).noneMatch(r -> r.value().id().startsWith("relay-" + run + ":"));
        }
        // each batch is deleted once Kafka acknowledged it, in the transaction that claimed it: nothing of it is left,
        // and nothing else either (the relay runs until the outbox is empty)
        assertThat(eventually(() -> rows("relay-" + run))).isZero();
        assertThat(eventually(() -> count("SELECT count(*) FROM outbox", Tuple.tuple()))).isZero();
    }

    @Test
    void aFailureAfterTheSendAndBeforeTheDeletePublishesTheBatchAgain() throws Throwable {
        String run = "republish-" + UUID.randomUUID().toString().substring(0, 8);
        int events = 3;
        // PostgreSQL refuses to delete this run's rows: Kafka acknowledges the sends, then the batch's transaction fails
        sql("CREATE OR REPLACE FUNCTION outbox_test_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF OLD.event_key LIKE 'republish-%' THEN RAISE EXCEPTION 'delete refused by the test'; END IF; "
                + "RETURN OLD; END $$");
        sql("CREATE TRIGGER outbox_test_refuse_delete BEFORE DELETE ON outbox FOR EACH ROW "
                + "EXECUTE FUNCTION outbox_test_refuse_delete()");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            List<String> ids;
            List<String> copies = new ArrayList<>();
            try {
                ids = insert(run, events);
                try {
                    // this call or the scheduled relay claims the rows; either sends them and then fails to delete them
                    VertxContextSupport.subscribeAndAwait(() -> relay.drain());
                } catch (Throwable expected) {
                    assertThat(expected).hasMessageContaining("delete refused by the test");
                }
                var sent = kafka.await(events, r -> r.value().id().startsWith(run + ":"), Duration.ofSeconds(30));
                sent.forEach(r -> copies.add(r.value().id()));
                assertThat(copies).containsAll(ids);
                // the failed transaction deleted nothing
                assertThat(rows(run)).isEqualTo(events);
            } finally {
                sql("DROP TRIGGER IF EXISTS outbox_test_refuse_delete ON outbox");
                sql("DROP FUNCTION IF EXISTS outbox_test_refuse_delete()");
            }
            VertxContextSupport.subscribeAndAwait(() -> relay.drain());
            assertThat(eventually(() -> rows(run))).isZero();

            // every event was published again after the failure (consumers drop the repeat by its event id)
            kafka.await(events, r -> r.value().id().startsWith(run + ":"), Duration.ofSeconds(30))
                    .forEach(r -> copies.add(r.value().id()));
            Map<String, Long> perEvent = copies.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perEvent).containsOnlyKeys(ids).allSatisfy((id, n) -> assertThat(n).as(id).isGreaterThanOrEqualTo(2));
        }
    }

    @Test
    void relaysRunningTogetherPublishEachPersonsEventsInTheOrderTheyWereWritten() throws Throwable {
        String run = "order-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            insert(run, EVENTS);
            // two replicas' relays (and the scheduled one) at once: one holds the lock, the others wait for it
            var first = relay.drain().subscribeAsCompletionStage();
            var second = relay.drain().subscribeAsCompletionStage();
            first.get();
            second.get();
            var received = kafka.await(EVENTS, r -> r.value().id().startsWith(run + ":"), Duration.ofSeconds(30));
            Map<String, List<Integer>> perKey = received.stream().collect(Collectors.groupingBy(r -> r.key(),
                    Collectors.mapping(r -> Integer.parseInt(r.value().id().substring(run.length() + 1)), Collectors.toList())));
            assertThat(perKey).hasSize(7).allSatisfy((key, order) -> assertThat(order).as(key).isSorted());
        }
    }

    /** Inserts {@code n} membership events keyed {@code <prefix>-<i % 7>} with ids {@code <prefix>:<i>}; their ids. */
    List<String> insert(String prefix, int n) throws Throwable {
        Instant now = Instant.now();
        String[] keys = new String[n];
        String[] events = new String[n];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys[i] = prefix + "-" + (i % 7);
            ids.add(prefix + ":" + i);
            events[i] = new String(CloudEventSerializer.encode(Topics.SEGMENT_MEMBERSHIP, prefix + ":" + i,
                    "/sohbet/segment-service", now, keys[i], new SegmentMembership("vip", SegmentMembership.ENTERED, now)),
                    StandardCharsets.UTF_8);
        }
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO outbox (topic, event_key, event, created_at) "
                + "SELECT $1, t.k, t.e, $4 FROM unnest($2::text[], $3::text[]) AS t(k, e)")
                .execute(Tuple.of(Topics.SEGMENT_MEMBERSHIP, keys, events, now.atOffset(ZoneOffset.UTC))));
        return ids;
    }

    long rows(String prefix) throws Throwable {
        return count("SELECT count(*) FROM outbox WHERE event_key LIKE $1", Tuple.of(prefix + "-%"));
    }

    long count(String query, Tuple parameters) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(query).execute(parameters))
                .iterator().next().getLong(0);
    }

    void sql(String statement) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.query(statement).execute());
    }

    /** The count once it reached 0, or its value after 20 s (the relay's transactions may still be committing). */
    static long eventually(Count count) throws Throwable {
        long value = count.get();
        for (long deadline = System.nanoTime() + 20_000_000_000L; value > 0 && System.nanoTime() < deadline; Thread.sleep(100)) {
            value = count.get();
        }
        return value;
    }

    @FunctionalInterface
    interface Count {
        long get() throws Throwable;
    }
}
