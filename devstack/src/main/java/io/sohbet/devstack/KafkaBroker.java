package io.sohbet.devstack;

import io.sohbet.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** A real single-node KRaft Kafka 4.4 broker in a child JVM with its own classpath. */
public final class KafkaBroker implements AutoCloseable {

    private static final String MAIN = "io.sohbet.devstack.broker.SingleNodeKafka";

    private final ChildProcess process;
    private final int port;

    private KafkaBroker(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the broker on {@code port} (0 = any free one) with its data in {@code dataDir} (kept if present). */
    public static KafkaBroker start(int port, Path dataDir, Path log) {
        int chosen = port == 0 ? Ports.free() : port;
        ChildProcess child = ChildProcess.java("kafka", jvmOptions(),
                Classpaths.kafkaBroker(), MAIN,
                List.of(String.valueOf(chosen), String.valueOf(Ports.free()), dataDir.toString()), log,
                line -> line.startsWith("KAFKA_READY"));
        child.awaitReady(Duration.ofSeconds(90));
        return new KafkaBroker(child, chosen);
    }

    /**
     * The broker's JVM options: small and quick to start for tests (serial GC, C1 only), or those of the
     * {@code sohbet.devstack.kafka-jvm} system property (space-separated), e.g. a production-like heap and G1 for
     * benchmarks, where a serial collector's pauses would show up as the service's latency.
     */
    static List<String> jvmOptions() {
        String configured = System.getProperty("sohbet.devstack.kafka-jvm", "").strip();
        return configured.isEmpty() ? List.of("-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                : List.of(configured.split("\\s+"));
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Creates every Sohbet topic and its dead-letter topic, keeping those that exist. */
    public void createSohbetTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            NewTopic created = new NewTopic(topic, Topics.PARTITIONS, (short) 1);
            topics.add(Topics.COMPACTED.contains(topic) ? created.configs(Map.of("cleanup.policy", "compact")) : created);
            topics.add(new NewTopic(Topics.deadLetter(topic), Topics.DLQ_PARTITIONS, (short) 1));
        }
        createTopics(topics);
    }

    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
