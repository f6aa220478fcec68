package io.sohbet.kit.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import io.sohbet.events.Topics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Puts the records of a dead-letter topic back on the topic they came from, for the consumers to try again once what
 * failed is fixed. Reads from where the replay consumer group {@value #GROUP} stopped (the start of the topic the first
 * time) up to the end the topic had when the replay began, and re-publishes each record with its key, its value (so its
 * CloudEvent and event id) and its headers, less the {@code dead-letter-*} and {@code deserialization-failure-*} ones
 * the dead-letter strategy added; a record that could not be deserialised gets its original bytes back. The Kafka
 * timestamp is the replay's, so a topic's retention counts from it. The group's offsets are committed only after Kafka
 * acknowledged the records before them, so a replay that stops half-way (timeout, crash) re-publishes at most what
 * it did not commit: consumers are idempotent (processed-event records, order-independent facts), so a record applied
 * before, or twice, changes nothing. Records dead-lettered while the replay runs are left for the next one.
 *
 * <p>The group is one for the whole suite: a dead-letter topic is shared by the services that consume its topic
 * (wa.inbound.dlq holds the failures of consent-, metrics- and segment-service), and its records go back to the topic
 * that all of them read, so a replay from any of them replays the topic once. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class DeadLetterReplay {

    public static final String GROUP = "sohbet-dlq-replay";
    private static final String[] ADDED_PREFIXES = {"dead-letter-", "deserialization-failure-"};
    private static final List<String> ORIGINAL_VALUE = List.of("deserialization-failure-value-data", "deserialization-failure-data");
    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);

    /** What a replay did: records re-published, records without a value left out, and records left for another call. */
    public record Result(String deadLetterTopic, String topic, long replayed, long skipped, long remaining) {
    }

    /** The topic is not the dead-letter topic of a consumer of this service. */
    public static final class UnknownTopic extends RuntimeException {
        public UnknownTopic(String topic) {
            super("no consumer of this service sends its failures to " + topic);
        }
    }

    /** A replay of the topic is already running in this replica. */
    public static final class AlreadyRunning extends RuntimeException {
        public AlreadyRunning(String topic) {
            super("a replay of " + topic + " is running");
        }
    }

    /**
     * Kafka refused the replay: this service's Kafka user may not read the dead-letter topic, use the replay group or
     * write the topic (least privilege, README Security → Kafka). Nothing was re-published nor committed.
     */
    public static final class NotAllowed extends RuntimeException {
        public NotAllowed(String deadLetterTopic, String topic) {
            super("Kafka does not allow this service to replay " + deadLetterTopic + " to " + topic
                    + (Topics.PRIVACY_ERASURE.equals(topic) ? " (only consent-service writes privacy.erasure: announce the "
                            + "erasures again with consent-service's POST /api/dsr/replay)" : "")
                    + (Topics.PRIVACY_DESTRUCTION.equals(topic) ? " (only the services with retention jobs write "
                            + "privacy.destruction: consent-service records its dead letters with POST "
                            + "/api/destruction-records/dead-letters/replay)" : "")
                    + "; nothing was re-published");
        }
    }

    private final ConsumerChannels channels;
    private final Map<String, Object> kafka;
    private final Duration timeout;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public DeadLetterReplay(ConsumerChannels channels, @Identifier(KafkaClientSettings.DEFAULT) Map<String, Object> kafka,
            @ConfigProperty(name = "sohbet.messaging.replay-timeout", defaultValue = "60s") Duration timeout) {
        this.channels = channels;
        this.kafka = kafka;
        this.timeout = timeout;
    }

    public Result replay(String deadLetterTopic) {
        String topic = channels.topicOf(deadLetterTopic).orElseThrow(() -> new UnknownTopic(deadLetterTopic));
        if (!running.add(deadLetterTopic)) {
            throw new AlreadyRunning(deadLetterTopic);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(deadLetterTopic), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(deadLetterTopic), new ByteArraySerializer(), new ByteArraySerializer())) {
            Result result = copy(consumer, producer, deadLetterTopic, topic);
            LOG.infof("replay of %s: %d records re-published to %s, %d without a value left out, %d left for another call",
                    deadLetterTopic, result.replayed(), topic, result.skipped(), result.remaining());
            return result;
        } catch (AuthorizationException e) {
            LOG.warnf("replay of %s refused by Kafka: %s", deadLetterTopic, e.getClass().getSimpleName());
            throw new NotAllowed(deadLetterTopic, topic);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof AuthorizationException) {
                LOG.warnf("replay of %s refused by Kafka: %s", deadLetterTopic, e.getCause().getClass().getSimpleName());
                throw new NotAllowed(deadLetterTopic, topic);
            }
            throw e;
        } finally {
            running.remove(deadLetterTopic);
        }
    }

    private Result copy(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer, String from, String to) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = consumer.partitionsFor(from, timeout).stream()
                .map(p -> new TopicPartition(from, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), timeout);
        Map<TopicPartition, Long> next = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndMetadata at = committed.get(p);
            if (at == null) {
                consumer.seekToBeginning(List.of(p));
            } else {
                consumer.seek(p, at.offset());
            }
            next.put(p, consumer.position(p, timeout));
        }
        long replayed = 0;
        long skipped = 0;
        while (partitions.stream().anyMatch(p -> next.get(p) < end.get(p)) && System.nanoTime() < deadline) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            Map<TopicPartition, Long> polled = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition p = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.get(p)) {
                    continue; // dead-lettered after the replay began: the next replay's
                }
                polled.put(p, record.offset() + 1);
                byte[] value = originalValue(record);
                if (value == null) {
                    skipped++;
                    continue;
                }
                sent.add(producer.send(new ProducerRecord<>(to, null, null, record.key(), value, originalHeaders(record))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                await(f);
            }
            replayed += sent.size();
            if (!polled.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                polled.forEach((p, offset) -> commit.put(p, new OffsetAndMetadata(offset)));
                consumer.commitSync(commit, timeout);
                next.putAll(polled);
            }
            for (TopicPartition p : partitions) { // positions also move over transaction markers and deleted records
                next.put(p, Math.max(next.get(p), Math.min(consumer.position(p, timeout), end.get(p))));
            }
        }
        long remaining = partitions.stream().mapToLong(p -> Math.max(0, end.get(p) - next.get(p))).sum();
        return new Result(from, to, replayed, skipped, remaining);
    }

    /** The record's value, or the bytes the dead-letter strategy kept of one it could not deserialise; null if neither. */
    public static byte[] originalValue(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() != null) {
            return record.value();
        }
        for (String name : ORIGINAL_VALUE) {
            Header header = record.headers().lastHeader(name);
            if (header != null && header.value() != null) {
                return header.value();
            }
        }
        return null;
    }

    static RecordHeaders originalHeaders(ConsumerRecord<?, ?> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            boolean added = false;
            for (String prefix : ADDED_PREFIXES) {
                added |= header.key().startsWith(prefix);
            }
            if (!added) {
                headers.add(header);
            }
        }
        return headers;
    }

    private static void await(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused a replayed record: " + e.getCause().getClass().getSimpleName(), e.getCause());
        }
    }

    private Map<String, Object> consumerConfig(String from) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, GROUP + "-" + from);
        config.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        config.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        return config;
    }

    private Map<String, Object> producerConfig(String from) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, GROUP + "-" + from + "-producer");
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }
}
