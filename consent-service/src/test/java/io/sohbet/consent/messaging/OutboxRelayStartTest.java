package io.sohbet.consent.messaging;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.SkippedExecution;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay does not run before its channel is connected. The scheduler starts first (StartupEvent, priority 0) and
 * SmallRye Reactive Messaging registers the emitters later (priority 1000, after every connector is created); here
 * that gap is held open past the relay's first ticks, as a cold start on a busy machine does. A run in that gap used
 * to fail to inject the emitter and log an ERROR (SRMSG00019: Unable to connect an emitter with the channel
 * `consent-change-out`). Now the ticks are skipped, the start logs no ERROR, and the relay publishes once running.
 */
@QuarkusTest
@TestProfile(OutboxRelayStartTest.SlowMessagingStart.class)
class OutboxRelayStartTest {

    /** Startup held back before messaging starts; the log also goes to a file of this run, read by the test. */
    public static class SlowMessagingStart implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MessagingHeldBack.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", "target/outbox-relay-start-" + UUID.randomUUID() + ".log",
                    "quarkus.log.file.format", "%p [%c] %s%e%n");
        }
    }

    /** Holds startup for 3.5 s after the scheduler started and before messaging starts; counts skipped relay runs. */
    @Alternative
    @Singleton
    public static class MessagingHeldBack {

        private final AtomicInteger skippedRelayRuns = new AtomicInteger();

        void holdBack(@Observes @Priority(500) StartupEvent event) throws InterruptedException {
            Thread.sleep(3_500);
        }

        void skipped(@Observes SkippedExecution skipped) {
            if (skipped.getExecution().getTrigger().getMethodDescription().endsWith("OutboxRelay#relay")) {
                skippedRelayRuns.incrementAndGet();
            }
        }

        int skippedRelayRuns() {
            return skippedRelayRuns.get();
        }
    }

    @Inject
    MessagingHeldBack heldBack;

    @Inject
    Pool pool;

    @Test
    void aStartWithMessagingLateLogsNoErrorAndTheRelayPublishesOnceRunning() throws Throwable {
        List<String> log = Files.readAllLines(Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class)));
        assertThat(log.stream().filter(line -> line.startsWith("ERROR") || line.contains("SRMSG00019"))).isEmpty();
        // the relay's first ticks did come while messaging was held back, and were skipped
        assertThat(heldBack.skippedRelayRuns()).isPositive();

        String id = "relay-start:" + UUID.randomUUID();
        Instant now = Instant.now();
        String event = new String(CloudEventSerializer.encode(Topics.CONSENT_CHANGE, id, "/sohbet/consent-service", now,
                "relay-start-subject", new ConsentChange("marketing", "whatsapp", "granted", "web-form", now)),
                StandardCharsets.UTF_8);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CONSENT_CHANGE)) {
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                            "INSERT INTO outbox (topic, event_key, event, created_at) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of(Topics.CONSENT_CHANGE, "relay-start-subject", event, now.atOffset(ZoneOffset.UTC))));
            var received = kafka.await(1, r -> r.value().id().equals(id), Duration.ofSeconds(30));
            assertThat(received).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("relay-start-subject"));
        }
    }
}
