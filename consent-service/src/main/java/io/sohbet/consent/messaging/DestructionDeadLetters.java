package io.sohbet.consent.messaging;

import io.smallrye.common.annotation.Identifier;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventDeserializer;
import io.sohbet.events.Topics;
import io.sohbet.kit.messaging.DeadLetterReplay;
import io.sohbet.kit.messaging.KafkaClientSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the whole dead-letter topic of {@code privacy.destruction} ({@value #TOPIC}), for consent-service to record its
 * runs again ({@link io.sohbet.consent.service.DestructionReplay}). The generic replay cannot put them back: only
 * the services with retention jobs (webhook-, metrics-, segment-, campaign-service) may write {@code privacy.destruction} (README, Security → Kafka), and their outbox rows
 * are gone once published. So consent-service reads the topic itself, without a consumer group and without committing
 * anything (its Kafka user reads it, {@code TopicAccess.CONSENT.reads}), from its start to the end it had when the read
 * began: each replay sees every record the topic still holds (14 days), and the recording is idempotent by run id.
 * Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class DestructionDeadLetters {

    public static final String TOPIC = Topics.PRIVACY_DESTRUCTION + ".dlq";
    private static final Logger LOG = Logger.getLogger(DestructionDeadLetters.class);

    /** One record of the topic: where it is, and its event, or null when its bytes are not a CloudEvent. */
    public record DeadLetter(int partition, long offset, CloudEvent event) {
    }

    /** What was read: the records, and how many the timeout left unread. */
    public record Read(List<DeadLetter> records, long remaining) {
    }

    /** Kafka could not be read (unreachable, or this service's user may not read the topic). */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String reason) {
            super("could not read " + TOPIC + " (" + reason + "): nothing was recorded, try again once Kafka answers");
        }
    }

    private final Map<String, Object> kafka;
    private final Duration timeout;
    private final CloudEventDeserializer events = new CloudEventDeserializer();

    public DestructionDeadLetters(@Identifier(KafkaClientSettings.DEFAULT) Map<String, Object> kafka,
            @ConfigProperty(name = "sohbet.messaging.replay-timeout", defaultValue = "60s") Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** Every record of the topic up to its end at the time of the call, in partition and offset order. */
    public Read readAll() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "consent-service-destruction-dlq-reader");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            List<DeadLetter> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!readToEnd(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ends.get(p)) { // dead-lettered after the read began: the next replay's
                        out.add(new DeadLetter(record.partition(), record.offset(), event(record)));
                    }
                }
            }
            long remaining = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                remaining += Math.max(0, end.getValue() - consumer.position(end.getKey(), timeout));
            }
            return new Read(out, remaining);
        } catch (KafkaException e) {
            LOG.warnf("reading %s failed: %s", TOPIC, e.getClass().getSimpleName());
            throw new Unreadable(e.getClass().getSimpleName());
        }
    }

    private CloudEvent event(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = DeadLetterReplay.originalValue(record);
        try {
            return value == null ? null : events.deserialize(TOPIC, value);
        } catch (KafkaException notAnEvent) {
            return null;
        }
    }

    private static boolean readToEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
