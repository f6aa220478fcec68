package io.sohbet.devstack;

import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventDeserializer;
import io.sohbet.events.CloudEventSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * A test's own Kafka client: publishes CloudEvents as another service would and reads what a service published.
 * Reading starts at the end of each topic at the moment the probe {@linkplain #watch watches} it.
 */
public final class KafkaProbe implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, CloudEvent> producer;
    private final KafkaConsumer<String, CloudEvent> consumer;

    public KafkaProbe(String bootstrapServers) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** A probe with these client settings: the bootstrap servers and, on a secured broker, a user's login. */
    public KafkaProbe(Map<String, Object> settings) {
        this.bootstrapServers = String.valueOf(settings.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        Map<String, Object> producerSettings = new java.util.HashMap<>(settings);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerSettings, new StringSerializer(), new CloudEventSerializer());
        Map<String, Object> consumerSettings = new java.util.HashMap<>(settings);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new CloudEventDeserializer());
    }

    /** A probe on the test run's shared broker. */
    public static KafkaProbe shared() {
        return new KafkaProbe(SharedInfrastructure.get().kafka().bootstrapServers());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Starts reading {@code topics} from their current end: later {@link #await} calls see what comes after. */
    public KafkaProbe watch(String... topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, not at the first poll
        return this;
    }

    /** Publishes and waits for the broker's acknowledgement. */
    public void send(String topic, String key, CloudEvent event) {
        send(topic, key, event, Map.of());
    }

    /** Publishes with Kafka headers (UTF-8 values) and waits for the broker's acknowledgement. */
    public void send(String topic, String key, CloudEvent event, Map<String, String> headers) {
        ProducerRecord<String, CloudEvent> record = new ProducerRecord<>(topic, key, event);
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send to " + topic + " failed", e.getCause());
        }
    }

    /** Publishes without waiting (for load generators); {@link #flush()} waits for everything sent so far. */
    public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sendAsync(String topic, String key,
            CloudEvent event) {
        return producer.send(new ProducerRecord<>(topic, key, event));
    }

    /** Waits until every record sent so far is acknowledged. */
    public void flush() {
        producer.flush();
    }

    /**
     * Waits until {@code count} records matching {@code filter} arrived on the watched topics. Records the filter does
     * not take are consumed and dropped: to wait for records of several kinds that may arrive in one batch, in any order,
     * take them all in one call (a second call would not see what the first one dropped).
     */
    public List<ConsumerRecord<String, CloudEvent>> await(int count, Predicate<ConsumerRecord<String, CloudEvent>> filter,
            Duration timeout) {
        List<ConsumerRecord<String, CloudEvent>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(100))) {
                if (filter.test(record)) {
                    seen.add(record);
                }
            }
        }
        if (seen.size() < count) {
            throw new AssertionError("expected " + count + " matching records within " + timeout + ", got " + seen.size()
                    + ": " + seen.stream().map(r -> r.topic() + "/" + r.value().id()).toList());
        }
        return seen;
    }

    /** Everything that arrives on the watched topics within {@code window}. */
    public List<ConsumerRecord<String, CloudEvent>> drain(Duration window) {
        List<ConsumerRecord<String, CloudEvent>> seen = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return seen;
    }

    /** The number of records on {@code topic}: the sum of its partitions' end offsets. */
    public long endOffsets(String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
