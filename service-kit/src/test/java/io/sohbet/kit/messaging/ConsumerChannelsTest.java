package io.sohbet.kit.messaging;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumerChannelsTest {

    static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    static Map<String, String> consumer(String channel, String topic) {
        String p = "mp.messaging.incoming." + channel + ".";
        Map<String, String> m = new HashMap<>();
        m.put(p + "connector", "smallrye-kafka");
        m.put(p + "topic", topic);
        m.put(p + "failure-strategy", CountedDeadLetterQueue.STRATEGY);
        m.put(p + "dead-letter-queue.topic", topic + ".dlq");
        return m;
    }

    @Test
    void readsEachKafkaConsumerWithItsDeadLetterTopicAndTheConnectorsMaxAge() {
        Map<String, String> properties = new HashMap<>(consumer("wa-inbound-in", "wa.inbound"));
        properties.putAll(consumer("privacy-erasure-in", "privacy.erasure"));
        properties.put("mp.messaging.incoming.privacy-erasure-in.throttled.unprocessed-record-max-age.ms", "900000");
        properties.put("mp.messaging.connector.smallrye-kafka.throttled.unprocessed-record-max-age.ms", "600000");
        properties.put("mp.messaging.outgoing.consent-change-out.connector", "smallrye-kafka");
        properties.put("mp.messaging.incoming.ticks.connector", "quarkus-http"); // a channel of another connector is not checked
        ConsumerChannels channels = new ConsumerChannels(config(properties), Duration.ofMinutes(2));

        assertThat(channels.channels()).extracting(c -> c.name() + " " + c.topic() + " " + c.deadLetterTopic() + " " + c.maxAgeMs())
                .containsExactly("privacy-erasure-in privacy.erasure privacy.erasure.dlq 900000",
                        "wa-inbound-in wa.inbound wa.inbound.dlq 600000");
        assertThat(channels.topicOf("wa.inbound.dlq")).contains("wa.inbound");
        assertThat(channels.topicOf("wa.status.dlq")).isEmpty();
        channels.checkAtStartup(null);
    }

    @Test
    void refusesAConsumerThatWouldLoseRecordsOrBeClosedDuringARetry() {
        Map<String, String> properties = new HashMap<>(consumer("wa-inbound-in", "wa.inbound"));
        properties.put("mp.messaging.incoming.wa-inbound-in.failure-strategy", "dead-letter-queue");
        properties.put("mp.messaging.incoming.wa-inbound-in.throttled.unprocessed-record-max-age.ms", "600000");
        properties.putAll(consumer("wa-status-in", "wa.status"));
        properties.put("mp.messaging.incoming.wa-status-in.throttled.unprocessed-record-max-age.ms", "300000");
        properties.putAll(consumer("link-click-in", "link.click"));
        properties.put("mp.messaging.incoming.link-click-in.throttled.unprocessed-record-max-age.ms", "0");
        ConsumerChannels channels = new ConsumerChannels(config(properties), Duration.ofMinutes(2));

        assertThat(ConsumerChannels.problems(channels.channels(), Duration.ofMinutes(2))).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("wa-inbound-in needs failure-strategy=counted-dead-letter-queue"))
                .anySatisfy(p -> assertThat(p).startsWith("wa-status-in has throttled.unprocessed-record-max-age.ms=300000"));
        assertThatThrownBy(() -> channels.checkAtStartup(null)).isInstanceOf(IllegalStateException.class);
        // the default age of SmallRye (60 s) is too short for a retry of 2 minutes
        assertThat(ConsumerChannels.problems(new ConsumerChannels(config(consumer("a-in", "a")), Duration.ofMinutes(2)).channels(),
                Duration.ofMinutes(2))).singleElement().asString().contains("max-age.ms=60000");
    }

    @Test
    void theRetryIsConfiguredInOrder() {
        ConsumerRetry.check(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));
        assertThatThrownBy(() -> ConsumerRetry.check(Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsumerRetry.check(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
