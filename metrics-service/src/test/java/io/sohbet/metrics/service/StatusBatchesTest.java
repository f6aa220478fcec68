package io.sohbet.metrics.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.WaStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Status batches written at the same time on the real database never deadlock: the two consumers of wa.status (and
 * the kinds of status in one batch) touch the same messages in different orders. Each batch used to be written as one
 * statement per kind, all at once on separate connections, each locking its rows in arrival order: PostgreSQL found a
 * deadlock (40P01) and failed one of them, and with it the whole poll.
 */
@QuarkusTest
class StatusBatchesTest {

    static final int MESSAGES = 400;

    @Inject
    EngagementFacts facts;

    @Inject
    Pool pool;

    @Test
    void batchesThatTouchTheSameMessagesInOppositeOrdersNeverDeadlock() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        Instant t0 = Instant.parse("2026-06-01T08:00:00Z");
        List<String> wamids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            wamids.add("wamid.deadlock." + run + "." + i);
        }
        // the messages exist (a first status each), so every later write updates, and locks, existing rows
        VertxContextSupport.subscribeAndAwait(() -> facts.statuses(batch(wamids, run, "sent", t0.plusSeconds(60))));
        Random random = new Random(20);
        for (int round = 0; round < 6; round++) {
            List<String> forward = new ArrayList<>(wamids);
            Collections.shuffle(forward, random);
            List<String> backward = new ArrayList<>(forward);
            Collections.reverse(backward);
            // one batch: deliveries in one order, reads in the other; a second batch at the same time the other way round
            List<Map.Entry<String, WaStatus>> first = new ArrayList<>(batch(forward, run, "delivered", t0.plusSeconds(120 + round)));
            first.addAll(batch(backward, run, "read", t0.plusSeconds(600 + round)));
            List<Map.Entry<String, WaStatus>> second = new ArrayList<>(batch(backward, run, "delivered", t0.plusSeconds(100 + round)));
            second.addAll(batch(forward, run, "sent", t0.plusSeconds(30 + round)));
            VertxContextSupport.subscribeAndAwait(() -> Uni.join().all(facts.statuses(first), facts.statuses(second))
                    .andCollectFailures().replaceWithVoid());
        }
        MessageIds ids = MessageIds.withKey("dev-message-id-key-not-for-production");
        String[] hashed = wamids.stream().map(ids::of).toArray(String[]::new);
        List<String> states = new ArrayList<>();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT sent_at, delivered_at, read_at FROM message_state "
                + "WHERE wamid = ANY($1)").execute(Tuple.of(hashed)).invoke(rows -> rows.forEach(r -> states.add(
                        r.getOffsetDateTime("sent_at").toInstant() + " " + r.getOffsetDateTime("delivered_at").toInstant() + " "
                                + r.getOffsetDateTime("read_at").toInstant()))));
        // every message kept the earliest time of each kind
        assertThat(states).hasSize(MESSAGES).containsOnly(t0.plusSeconds(30) + " " + t0.plusSeconds(100) + " " + t0.plusSeconds(600));
    }

    static List<Map.Entry<String, WaStatus>> batch(List<String> wamids, String run, String status, Instant at) {
        List<Map.Entry<String, WaStatus>> out = new ArrayList<>();
        for (String wamid : wamids) {
            out.add(Map.entry("deadlock" + run + "subject", new WaStatus(wamid, status, at, "pn", "individual", null, null, null,
                    null, null, null, null, List.of())));
        }
        return out;
    }
}
