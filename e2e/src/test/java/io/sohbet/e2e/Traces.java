package io.sohbet.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for strings everywhere the suite keeps data: every row of every table of every service's database (each row
 * as text), every record of every Kafka topic (key, value and headers as bytes read as UTF-8) and log files.
 * Returns where each needle was found, so a failure says exactly which table, topic or log line holds it.
 */
final class Traces {

    private Traces() {
    }

    static List<String> inDatabases(String jdbcUrlOfPostgresDb, Collection<String> databases, String user, String password,
            Collection<String> needles) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String database : databases) {
            String url = jdbcUrlOfPostgresDb.substring(0, jdbcUrlOfPostgresDb.lastIndexOf('/') + 1) + database;
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet r = s.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")) {
                    while (r.next()) {
                        tables.add(r.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet r = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                        while (r.next()) {
                            String row = r.getString(1);
                            for (String needle : needles) {
                                if (row != null && row.contains(needle)) {
                                    found.add(database + "." + table + " holds '" + needle + "'");
                                }
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    static List<String> inKafka(Map<String, Object> kafka, Collection<String> needles) throws Exception {
        return inKafka(kafka, needles, java.time.Instant.EPOCH);
    }

    /** Like {@link #inKafka(String, Collection)}, in the records written at or after {@code since} only. */
    static List<String> inKafka(Map<String, Object> kafka, Collection<String> needles, java.time.Instant since) throws Exception {
        Set<String> topics;
        try (Admin admin = Admin.create(kafka)) {
            topics = admin.listTopics().names().get();
        }
        List<String> found = new ArrayList<>();
        read(kafka, topics, record -> {
            if (record.timestamp() < since.toEpochMilli()) {
                return;
            }
            StringBuilder text = new StringBuilder();
            if (record.key() != null) {
                text.append(new String(record.key(), StandardCharsets.UTF_8)).append('\n');
            }
            if (record.value() != null) {
                text.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
            }
            record.headers().forEach(h -> text.append(h.key()).append('=')
                    .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)).append('\n'));
            String all = text.toString();
            for (String needle : needles) {
                if (all.contains(needle)) {
                    found.add("topic " + record.topic() + " offset " + record.offset() + " holds '" + needle + "'");
                }
            }
        });
        return found;
    }

    /** The values of every record of {@code topic}, from the beginning, as UTF-8 text. */
    static List<String> values(Map<String, Object> kafka, String topic) {
        List<String> values = new ArrayList<>();
        read(kafka, Set.of(topic), r -> values.add(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }

    /** {@code kafka}: the client settings of a user who may read every topic (the suite's Kafka admin). */
    private static void read(Map<String, Object> kafka, Set<String> topics, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    static List<String> inLogs(Path dir, Collection<String> needles) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            // every service's log, second replicas' (metrics-service-2.log) too
            for (Path log : files.filter(p -> p.getFileName().toString().matches(".*-service(-\\d+)?\\.log")).toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    for (String needle : needles) {
                        if (lines.get(i).contains(needle)) {
                            found.add(log.getFileName() + ":" + (i + 1) + " holds '" + needle + "'");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
