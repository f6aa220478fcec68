package io.sohbet.consent.messaging;

import io.smallrye.common.annotation.Identifier;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventDeserializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.AuditHead;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the audit heads published to {@code audit.head}: this service's last one, from the last records of each
 * partition (the topic is compacted: the last record of a key stays; a key's records share a partition, in order).
 * A tombstone (null value) for the service's key withdraws the heads before it: the way to accept a chain restored
 * from a backup (README, Operations). Blocking; no consumer group, nothing committed.
 */
@ApplicationScoped
public class AuditHeads {

    /** Records read back from the end of each partition (other services' heads may share a partition). */
    private static final int TAIL = 100;

    private final Map<String, Object> kafka;
    private final String service;
    private final Duration timeout;
    private final CloudEventDeserializer events = new CloudEventDeserializer();

    public AuditHeads(@Identifier("default-kafka-broker") Map<String, Object> kafka, ConsentConfig config) {
        this.kafka = kafka;
        this.service = config.serviceName();
        this.timeout = config.audit().headReadTimeout();
    }

    /** This service's last published head, or empty when none was published (or the last record is a tombstone). */
    public Optional<AuditHead> latest() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, service + "-audit-head-reader");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT_HEAD, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, timeout);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(starts.get(partition), ends.get(partition) - TAIL));
            }
            AuditHead last = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!readToEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("audit.head was not read to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && service.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        last = record.value() == null ? null : head(record);
                    }
                }
            }
            return Optional.ofNullable(last);
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

    /** The head a record of this service's key carries; one that carries none fails the read (nothing to compare with). */
    private AuditHead head(ConsumerRecord<byte[], byte[]> record) {
        CloudEvent event = events.deserialize(record.topic(), record.value());
        AuditHead head = event.dataAs(AuditHead.class);
        if (!service.equals(head.service())) {
            throw new IllegalStateException("a record of " + service + " on audit.head names another service");
        }
        return head;
    }
}
