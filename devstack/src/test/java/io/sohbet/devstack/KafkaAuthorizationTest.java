package io.sohbet.devstack;

import io.sohbet.events.TopicAccess;
import io.sohbet.events.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Devstack's secured broker (SASL_SSL, SCRAM-SHA-512, StandardAuthorizer, the services' ACLs from
 * {@link TopicAccess}): a forged {@code privacy.erasure}, {@code privacy.erasure-ack} or {@code consent.change} is
 * refused unless its writer is the one service allowed to write it, and nothing forged lands on the topic.
 */
class KafkaAuthorizationTest {

    /** The topics whose forgery harms people: deletes them, closes their erasure unerased, re-grants marketing. */
    static final List<String> GUARDED = List.of(Topics.PRIVACY_ERASURE, Topics.PRIVACY_ERASURE_ACK, Topics.CONSENT_CHANGE,
            Topics.WA_PREFERENCE);

    static OwnSecuredBroker kafka;
    static KafkaBroker broker;

    @BeforeAll
    static void start() throws IOException {
        kafka = OwnSecuredBroker.start("kafka-acl");
        broker = kafka.broker();
    }

    @AfterAll
    static void stop() throws IOException {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aClientWithoutCredentialsCannotWritePrivacyErasure() {
        String marker = "forged-" + UUID.randomUUID();
        Map<String, Object> plaintext = new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        assertThatThrownBy(() -> send(plaintext, Topics.PRIVACY_ERASURE, marker)).isInstanceOf(Exception.class);

        Map<String, Object> tlsOnly = new HashMap<>(plaintext);
        tlsOnly.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        tlsOnly.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        tlsOnly.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, broker.caCertificate().orElseThrow().toString());
        assertThatThrownBy(() -> send(tlsOnly, Topics.PRIVACY_ERASURE, marker)).isInstanceOf(Exception.class);

        // the consent-service's name without its password, and a name the broker does not know: authentication fails
        KafkaCredentials consent = broker.credentials("consent-service");
        for (KafkaCredentials wrong : List.of(new KafkaCredentials(consent.username(), "guessed", consent.caCertificate()),
                new KafkaCredentials("someone", "guessed", consent.caCertificate()),
                new KafkaCredentials("", "", consent.caCertificate()))) {
            Map<String, Object> settings = new HashMap<>(plaintext);
            settings.putAll(wrong.clientSettings());
            assertThatThrownBy(() -> send(settings, Topics.PRIVACY_ERASURE, marker))
                    .as(wrong.username()).isInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(values(Topics.PRIVACY_ERASURE)).doesNotContain(marker);
    }

    @Test
    void onlyTheServiceThatProducesAGuardedTopicMayWriteIt() {
        List<String> forged = new ArrayList<>();
        for (TopicAccess service : TopicAccess.ALL) {
            for (String topic : GUARDED) {
                String value = service.service() + "->" + topic + "-" + UUID.randomUUID();
                Map<String, Object> settings = broker.clientSettings(service.service());
                if (service.produces().contains(topic)) {
                    send(settings, topic, value); // acknowledged
                    assertThat(values(topic)).as(value).contains(value);
                } else {
                    assertThatThrownBy(() -> send(settings, topic, value)).as(value)
                            .isInstanceOf(TopicAuthorizationException.class);
                    forged.add(value);
                }
            }
        }
        // who may write what, as the issue requires it
        assertThat(TopicAccess.writers(Topics.PRIVACY_ERASURE)).containsExactly("consent-service");
        assertThat(TopicAccess.writers(Topics.CONSENT_CHANGE)).containsExactly("consent-service");
        assertThat(TopicAccess.writers(Topics.PRIVACY_ERASURE_ACK)).containsExactlyInAnyOrder("webhook-service",
                "metrics-service", "segment-service", "campaign-service");
        assertThat(TopicAccess.writers(Topics.WA_PREFERENCE)).containsExactly("webhook-service");
        assertThat(forged).hasSize(5 * GUARDED.size() - 1 - 1 - 4 - 1);
        for (String topic : GUARDED) {
            assertThat(values(topic)).doesNotContainAnyElementsOf(forged);
        }
        // the broker logs each refusal: who, what, which topic (no record content)
        assertThat(brokerLog()).contains("Principal = User:webhook-service is Denied operation = WRITE from host = 127.0.0.1 "
                        + "on resource = Topic:LITERAL:privacy.erasure")
                .contains("Principal = User:metrics-service is Denied operation = WRITE from host = 127.0.0.1 "
                        + "on resource = Topic:LITERAL:consent.change")
                .doesNotContain(forged.get(0));
    }

    static String brokerLog() {
        return kafka.log();
    }

    @Test
    void theParticipantsReadPrivacyErasureWithTheirOwnGroupOnly() {
        String request = "erasure-" + UUID.randomUUID();
        send(broker.clientSettings("consent-service"), Topics.PRIVACY_ERASURE, request);
        for (TopicAccess participant : TopicAccess.ALL) {
            if (!participant.consumes().contains(Topics.PRIVACY_ERASURE)) {
                continue;
            }
            Map<String, Object> settings = broker.clientSettings(participant.service());
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, participant.service());
            assertThat(readWithGroup(settings, Topics.PRIVACY_ERASURE)).as(participant.service()).contains(request);
        }
        // another service's group, or a topic it does not consume: refused
        Map<String, Object> borrowed = broker.clientSettings("webhook-service");
        borrowed.put(ConsumerConfig.GROUP_ID_CONFIG, "metrics-service");
        assertThatThrownBy(() -> readWithGroup(borrowed, Topics.PRIVACY_ERASURE)).isInstanceOf(GroupAuthorizationException.class);
        Map<String, Object> elsewhere = broker.clientSettings("webhook-service");
        elsewhere.put(ConsumerConfig.GROUP_ID_CONFIG, "webhook-service");
        assertThatThrownBy(() -> readWithGroup(elsewhere, Topics.CONSENT_CHANGE)).isInstanceOf(TopicAuthorizationException.class);
        // consent-service writes it but does not consume it
        Map<String, Object> consent = broker.clientSettings("consent-service");
        consent.put(ConsumerConfig.GROUP_ID_CONFIG, "consent-service");
        assertThatThrownBy(() -> readWithGroup(consent, Topics.PRIVACY_ERASURE)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aConsumerDeadLettersToTheDeadLetterTopicOfWhatItConsumesButMayNotWriteItsTopic() {
        String value = "failed-" + UUID.randomUUID();
        send(broker.clientSettings("metrics-service"), Topics.deadLetter(Topics.PRIVACY_ERASURE), value);
        assertThat(values(Topics.deadLetter(Topics.PRIVACY_ERASURE))).contains(value);
        // a replay of privacy.erasure.dlq by a participant would need to write privacy.erasure: refused
        assertThatThrownBy(() -> send(broker.clientSettings("metrics-service"), Topics.PRIVACY_ERASURE, value))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void consentServiceReadsTheDeadLettersOfPrivacyDestructionWithoutAGroupToRecordThemAndNoOtherServiceDoes() {
        String deadLetters = Topics.deadLetter(Topics.PRIVACY_DESTRUCTION);
        String value = "run-" + UUID.randomUUID();
        // its consumer dead-letters a run it could not record, and its replay reads it back (no group, as
        // DestructionDeadLetters does)
        send(broker.clientSettings("consent-service"), deadLetters, value);
        assertThat(values("consent-service", deadLetters)).contains(value);
        assertThatThrownBy(() -> values("segment-service", deadLetters)).isInstanceOf(TopicAuthorizationException.class);
        // the replay records runs, it never re-publishes them: privacy.destruction keeps its writers
        assertThatThrownBy(() -> send(broker.clientSettings("consent-service"), Topics.PRIVACY_DESTRUCTION, value))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    /** Sends one record with an idempotent producer (as the services do) and waits for the broker's answer. */
    static void send(Map<String, Object> client, String topic, String value) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "subject", value)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything on {@code topic}, read by the admin without a group. */
    static List<String> values(String topic) {
        return values(KafkaBroker.ADMIN_USER, topic);
    }

    /** Everything on {@code topic}, read by {@code user} without a group. */
    static List<String> values(String user, String topic) {
        Map<String, Object> settings = broker.clientSettings(user);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    /** Reads {@code topic} from the beginning with the group of {@code settings} until a poll returns nothing more. */
    static List<String> readWithGroup(Map<String, Object> client, String topic) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
                if (!values.isEmpty() && !consumer.assignment().isEmpty()) {
                    consumer.commitSync();
                    return values;
                }
            }
            return values;
        }
    }
}
