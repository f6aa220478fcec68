package io.sohbet.devstack;

import io.sohbet.events.TopicAccess;
import io.sohbet.events.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka users' grants ({@link TopicAccess}) against what each service's channels really do: every topic a channel
 * consumes is granted with the service's group, every topic a channel produces may be written, and what else a
 * service may write is what its own producers write (listed here with the class that does it).
 */
class TopicAccessTest {

    /** Topics a service writes outside its outgoing channels' configured topics. */
    static final Map<String, Set<String>> OWN_PRODUCERS = Map.of(
            // webhook-service EventPublisher: a plain producer on the ingestion path
            "webhook-service", Set.of(Topics.WA_INBOUND, Topics.WA_STATUS, Topics.WA_CONTACT, Topics.WA_PREFERENCE,
                    Topics.WA_ACCOUNT, Topics.COMMERCE_EVENT, Topics.LINK_CLICK),
            // consent-service OutboxRelay: outbox rows name their topic (Outbox.erasure → privacy.erasure)
            "consent-service", Set.of(Topics.PRIVACY_ERASURE),
            "metrics-service", Set.of(),
            // segment-service OutboxRelay: a retention run's row names privacy.destruction (DestructionOutbox)
            "segment-service", Set.of(Topics.PRIVACY_DESTRUCTION),
            "campaign-service", Set.of());

    static List<TopicAccess> services() {
        return TopicAccess.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void grantsAreExactlyWhatTheServiceConsumesAndProduces(TopicAccess access) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("..", access.service(), "src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Set<String> consumed = new HashSet<>();
        Set<String> produced = new HashSet<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                String topic = properties.getProperty(name);
                consumed.add(topic);
                String channel = name.substring(0, name.length() - ".topic".length());
                assertThat(properties.getProperty(channel + ".group.id")).as(name + ": the group its Kafka user may use")
                        .isEqualTo(access.service());
                assertThat(properties.getProperty(channel + ".dead-letter-queue.topic")).as(name + ": the dead-letter topic "
                        + "its Kafka user may write").isEqualTo(Topics.deadLetter(topic));
            } else if (name.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")) {
                produced.add(properties.getProperty(name));
            }
        }
        produced.addAll(OWN_PRODUCERS.get(access.service()));
        assertThat(access.consumes()).containsExactlyInAnyOrderElementsOf(consumed);
        assertThat(access.produces()).containsExactlyInAnyOrderElementsOf(produced);
    }
}
