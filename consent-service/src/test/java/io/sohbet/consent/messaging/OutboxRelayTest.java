package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.PrivacyErasure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.sohbet.consent.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class OutboxRelayTest {

    /** More than one of the relay's batches (500), so one run has to go on after a full batch. */
    static final int EVENTS = 640;

    @Inject
    Pool pool;

    @Inject
    OutboxRelay relay;

    @Test
    void aRunPublishesEveryEventOnceToItsTopicAndLeavesTheOutboxEmpty() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        String[] topics = new String[EVENTS];
        String[] keys = new String[EVENTS];
        String[] events = new String[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            // consent changes and, every tenth row, an erasure request: each row names its own topic
            topics[i] = i % 10 == 9 ? Topics.PRIVACY_ERASURE : Topics.CONSENT_CHANGE;
            keys[i] = "relay-" + run + "-" + (i % 5);
            Object payload = i % 10 == 9 ? new PrivacyErasure("request-" + run + "-" + i, now)
                    : new ConsentChange("marketing", "whatsapp", "granted", "web-form", now);
            events[i] = new String(CloudEventSerializer.encode(topics[i], "relay:" + run + ":" + i, "/sohbet/consent-service",
                    now, keys[i], payload), StandardCharsets.UTF_8);
        }
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CONSENT_CHANGE, Topics.PRIVACY_ERASURE)) {
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO outbox (topic, event_key, event, created_at) "
                    + "SELECT t.t, t.k, t.e, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(t, k, e)")
                    .execute(Tuple.of(topics, keys, events, now.atOffset(ZoneOffset.UTC))));

            // the scheduled relay may take some of the batches at the same time: together they publish everything once
            VertxContextSupport.subscribeAndAwait(() -> relay.drain());

            var received = kafka.await(EVENTS, r -> r.value().id().startsWith("relay:" + run + ":"), Duration.ofSeconds(30));
            assertThat(received).extracting(r -> r.value().id()).doesNotHaveDuplicates().hasSize(EVENTS);
            assertThat(received).allSatisfy(r -> {
                int i = Integer.parseInt(r.value().id().substring(("relay:" + run + ":").length()));
                assertThat(r.topic()).isEqualTo(topics[i]);
                assertThat(r.key()).isEqualTo(keys[i]);
            });
            assertThat(kafka.drain(Duration.ofSeconds(1))).noneMatch(r -> r.value().id().startsWith("relay:" + run + ":"));
        }
        // published rows are deleted in the transaction that claimed them: no subject id stays behind, nothing at all
        long left = Long.MAX_VALUE;
        for (long deadline = System.nanoTime() + 20_000_000_000L; left > 0 && System.nanoTime() < deadline; Thread.sleep(100)) {
            left = count(pool, "SELECT count(*) FROM outbox");
        }
        assertThat(left).isZero();
        assertThat(count(pool, "SELECT count(*) FROM outbox WHERE event_key LIKE $1", "relay-" + run + "-%")).isZero();
    }
}
