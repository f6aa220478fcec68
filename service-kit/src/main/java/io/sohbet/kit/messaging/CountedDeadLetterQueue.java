package io.sohbet.kit.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.sohbet.events.Topics;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.util.function.BiConsumer;

/**
 * The failure strategy of every consumer ({@code failure-strategy=counted-dead-letter-queue}): SmallRye's
 * {@code dead-letter-queue}, which sends the record to the channel's {@code dead-letter-queue.topic}, and once it is
 * there counts it in {@code sohbet_dlq_records_total{topic,channel,reason}} (topic: the one it was read from; reason:
 * {@link TransientFailures#reason}, the failure's class, never its message) and logs where it came from (topic,
 * partition, offset), so that an alert fires and the record can be replayed ({@link DeadLetterReplay}).
 *
 * <p>It extends {@link KafkaDeadLetterQueue} only so that the connector still recognises a dead-letter strategy and sends
 * records it cannot deserialise straight to it; every call goes to the instance SmallRye's own factory made.
 */
@ApplicationScoped
@Unremovable
@Identifier(CountedDeadLetterQueue.STRATEGY)
public class CountedDeadLetterQueue implements KafkaFailureHandler.Factory {

    public static final String STRATEGY = "counted-dead-letter-queue";
    static final String METRIC = "sohbet.dlq.records";

    private static final Logger LOG = Logger.getLogger(CountedDeadLetterQueue.class);

    private final KafkaFailureHandler.Factory deadLetterQueue;
    private final MeterRegistry registry;

    public CountedDeadLetterQueue(@Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE) KafkaFailureHandler.Factory deadLetterQueue,
            MeterRegistry registry) {
        this.deadLetterQueue = deadLetterQueue;
        this.registry = registry;
    }

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler delegate = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        String channel = config.getChannel().replaceFirst("\\$\\d+$", ""); // concurrency=n names copies channel$1..n
        String deadLetterTopic = config.getDeadLetterQueueTopic().orElse("dead-letter-topic-" + channel);
        return new Counted(channel, deadLetterTopic, delegate, registry);
    }

    static final class Counted extends KafkaDeadLetterQueue {

        private final String channel;
        private final String deadLetterTopic;
        private final KafkaFailureHandler delegate;
        private final MeterRegistry registry;

        Counted(String channel, String deadLetterTopic, KafkaFailureHandler delegate, MeterRegistry registry) {
            super(channel, deadLetterTopic, null, null);
            this.channel = channel;
            this.deadLetterTopic = deadLetterTopic;
            this.delegate = delegate;
            this.registry = registry;
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            String why = TransientFailures.reason(reason);
            // the dead-letter headers carry the failure's class and reason only: an exception's message may quote the
            // payload (a JSON error, a constraint's key values) and would stay on the .dlq topic for its retention
            return delegate.handle(record, new DeadLettered(why), metadata).invoke(() -> {
                registry.counter(METRIC, "topic", record.getTopic(), "channel", channel, "reason", why).increment();
                LOG.errorf("record %s-%d@%d sent to %s after %s (%s): %s",
                        record.getTopic(), record.getPartition(), record.getOffset(), deadLetterTopic,
                        TransientFailures.isTransient(reason) ? "its retries" : "a failure that is not retried", why,
                        howToReplay(record.getTopic(), deadLetterTopic));
            });
        }

        @Override
        public void terminate() {
            delegate.terminate();
        }
    }

    /**
     * How the records of {@code deadLetterTopic} are brought back: the generic replay, except for the topics whose writers
     * are fixed and which have a replay of their own (README, Operations).
     */
    static String howToReplay(String topic, String deadLetterTopic) {
        if (Topics.PRIVACY_DESTRUCTION.equals(topic)) {
            return "record it with consent-service's POST /api/destruction-records/dead-letters/replay";
        }
        if (Topics.PRIVACY_ERASURE.equals(topic)) {
            return "announce the erasure again with consent-service's POST /api/dsr/replay";
        }
        return "replay with POST /admin/dlq/" + deadLetterTopic + "/replay";
    }

    /** What a dead-letter record's headers say about its failure: {@link TransientFailures#reason}, nothing more. */
    static final class DeadLettered extends RuntimeException {

        DeadLettered(String reason) {
            super(reason, null, false, false);
        }
    }
}
