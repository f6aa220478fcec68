package io.sohbet.webhook.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.sohbet.events.CloudEvent;
import io.sohbet.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes events to their topics, keyed by subject id, and completes only when Kafka has acknowledged every one
 * of them ({@code acks=all}, idempotent producer), or fails after the configured timeout.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "webhook-events";

    private final MutinyEmitter<CloudEvent> emitter;
    private final WebhookConfig config;
    private final Timer latency;
    private final MeterRegistry registry;

    public EventPublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 65536)
            MutinyEmitter<CloudEvent> emitter, WebhookConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.config = config;
        this.registry = registry;
        this.latency = Timer.builder("sohbet.webhook.publish.latency")
                .description("Time from publishing a webhook's events until Kafka acknowledged all of them")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** One event to go to {@code topic} with Kafka key {@code key}. */
    public record Outgoing(String topic, String key, CloudEvent event) {
    }

    public Uni<Void> publishAll(List<Outgoing> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        List<Uni<Void>> sends = new ArrayList<>(events.size());
        for (Outgoing out : events) {
            Message<CloudEvent> message = Message.of(out.event()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(out.topic()).withKey(out.key()).build());
            sends.add(emitter.sendMessage(message));
        }
        return Uni.join().all(sends).andFailFast().replaceWithVoid()
                .ifNoItem().after(config.publishTimeout()).failWith(() -> new PublishTimeoutException(config.publishTimeout()))
                .invoke(() -> {
                    latency.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                    for (Outgoing out : events) {
                        registry.counter("sohbet.webhook.events", "topic", out.topic()).increment();
                    }
                });
    }
}
