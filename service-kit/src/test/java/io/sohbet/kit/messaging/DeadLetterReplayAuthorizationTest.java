package io.sohbet.kit.messaging;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sohbet.devstack.KafkaBroker;
import io.sohbet.devstack.OwnSecuredBroker;
import io.sohbet.events.TopicAccess;
import io.sohbet.events.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A dead-letter replay on a secured broker, as metrics-service's Kafka user: it may not write what it consumes, so the
 * replay is refused ({@link DeadLetterReplay.NotAllowed}, 403) and nothing reaches the original topic; privacy.erasure
 * is written by consent-service only, also with the grants of the chart's strimzi.users.dlqReplay, which let the
 * replay of wa.inbound.dlq through.
 */
class DeadLetterReplayAuthorizationTest {

    static OwnSecuredBroker kafka;
    static KafkaBroker broker;

    @BeforeAll
    static void start() throws IOException {
        kafka = OwnSecuredBroker.start("replay-acl");
        broker = kafka.broker();
    }

    @AfterAll
    static void stop() throws IOException {
        if (kafka != null) {
            kafka.close();
        }
    }

    static DeadLetterReplay replayAs(String user) {
        Map<String, String> properties = new HashMap<>(ConsumerChannelsTest.consumer("privacy-erasure-in", Topics.PRIVACY_ERASURE));
        properties.putAll(ConsumerChannelsTest.consumer("wa-inbound-in", Topics.WA_INBOUND));
        ConsumerChannels channels = new ConsumerChannels(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build(), Duration.ofMinutes(2));
        return new DeadLetterReplay(channels, broker.clientSettings(user), Duration.ofSeconds(20));
    }

    @Test
    void aParticipantMayNotReplayErasuresNorWhatItOnlyConsumes() {
        dead(Topics.PRIVACY_ERASURE, "metrics-service");
        dead(Topics.WA_INBOUND, "metrics-service");
        long erasures = records(Topics.PRIVACY_ERASURE);
        long inbound = records(Topics.WA_INBOUND);

        DeadLetterReplay metrics = replayAs("metrics-service");
        assertThatThrownBy(() -> metrics.replay(Topics.deadLetter(Topics.PRIVACY_ERASURE)))
                .isInstanceOf(DeadLetterReplay.NotAllowed.class)
                .hasMessageContaining("only consent-service writes privacy.erasure").hasMessageContaining("/api/dsr/replay");
        assertThatThrownBy(() -> metrics.replay(Topics.deadLetter(Topics.WA_INBOUND)))
                .isInstanceOf(DeadLetterReplay.NotAllowed.class).hasMessageContaining("nothing was re-published");
        assertThat(records(Topics.PRIVACY_ERASURE)).isEqualTo(erasures);
        assertThat(records(Topics.WA_INBOUND)).isEqualTo(inbound);

        // with what the chart's strimzi.users.dlqReplay adds (the replay group, reading the dead-letter topics, writing
        // the topics it consumes but the guarded ones): privacy.erasure stays refused, now at the write
        broker.grant("metrics-service", List.of(new TopicAccess.Acl("group", DeadLetterReplay.GROUP, "Read"),
                new TopicAccess.Acl("topic", Topics.deadLetter(Topics.PRIVACY_ERASURE), "Read"),
                new TopicAccess.Acl("topic", Topics.deadLetter(Topics.WA_INBOUND), "Read"),
                new TopicAccess.Acl("topic", Topics.WA_INBOUND, "Write")));
        assertThatThrownBy(() -> replayAs("metrics-service").replay(Topics.deadLetter(Topics.PRIVACY_ERASURE)))
                .isInstanceOf(DeadLetterReplay.NotAllowed.class).hasMessageContaining("only consent-service writes privacy.erasure");
        assertThat(records(Topics.PRIVACY_ERASURE)).isEqualTo(erasures);

        // the same replay by a user that may write the topic goes through: the refusal above is Kafka's
        DeadLetterReplay.Result result = replayAs("metrics-service").replay(Topics.deadLetter(Topics.WA_INBOUND));
        assertThat(result.replayed()).isEqualTo(1);
        assertThat(records(Topics.WA_INBOUND)).isEqualTo(inbound + 1);
    }

    /** A record dead-lettered by {@code user}'s consumer of {@code topic}. */
    static void dead(String topic, String user) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.clientSettings(user), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.deadLetter(topic), "subject", "{\"id\":\"e-1\"}")).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long records(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(broker.clientSettings(KafkaBroker.ADMIN_USER),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
