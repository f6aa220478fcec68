package io.sohbet.kit.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This service's Kafka consumers as its configuration declares them ({@code mp.messaging.incoming.<channel>.*}): the
 * topic each reads and the dead-letter topic its failed records go to. A service does not start with a consumer that
 * could lose a record without a trace or be closed during a retry: every Kafka channel must use the failure strategy
 * {@value CountedDeadLetterQueue#STRATEGY} with a {@code dead-letter-queue.topic}, and its
 * {@code throttled.unprocessed-record-max-age.ms} (per channel, or for the connector) must be 0 (no check) or at least
 * {@value #RETRY_BUDGETS} times {@code sohbet.messaging.retry.max-duration}: records polled together wait behind a
 * record being retried, so during an outage the oldest waits one retry budget for each record ahead of it.
 */
@Singleton
public class ConsumerChannels {

    static final int RETRY_BUDGETS = 4;
    static final String KAFKA = "smallrye-kafka";
    /** SmallRye Kafka's default of {@code throttled.unprocessed-record-max-age.ms}. */
    static final long DEFAULT_MAX_AGE_MS = 60_000;
    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.([A-Za-z0-9_-]+)\\.connector");

    /** One consumer: its channel, the topic it reads, its dead-letter topic (null if none) and failure strategy. */
    public record Channel(String name, String topic, String deadLetterTopic, String failureStrategy, long maxAgeMs) {
    }

    private final List<Channel> channels;
    private final Duration retryBudget;

    public ConsumerChannels(Config config,
            @ConfigProperty(name = "sohbet.messaging.retry.max-duration", defaultValue = "2m") Duration retryBudget) {
        this.channels = read(config);
        this.retryBudget = retryBudget;
    }

    static List<Channel> read(Config config) {
        TreeSet<String> names = new TreeSet<>();
        for (String property : config.getPropertyNames()) {
            String unprofiled = property.startsWith("%") && property.indexOf('.') > 0 ? property.substring(property.indexOf('.') + 1) : property;
            Matcher m = INCOMING.matcher(unprofiled);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        List<Channel> out = new ArrayList<>();
        for (String name : names) {
            String prefix = "mp.messaging.incoming." + name + ".";
            if (!KAFKA.equals(config.getOptionalValue(prefix + "connector", String.class).orElse(null))) {
                continue;
            }
            String connector = "mp.messaging.connector." + KAFKA + ".";
            long maxAge = config.getOptionalValue(prefix + "throttled.unprocessed-record-max-age.ms", Long.class)
                    .or(() -> config.getOptionalValue(connector + "throttled.unprocessed-record-max-age.ms", Long.class))
                    .orElse(DEFAULT_MAX_AGE_MS);
            out.add(new Channel(name, config.getOptionalValue(prefix + "topic", String.class).orElse(name),
                    config.getOptionalValue(prefix + "dead-letter-queue.topic", String.class).orElse(null),
                    config.getOptionalValue(prefix + "failure-strategy", String.class)
                            .or(() -> config.getOptionalValue(connector + "failure-strategy", String.class)).orElse("fail"),
                    maxAge));
        }
        return List.copyOf(out);
    }

    public List<Channel> channels() {
        return channels;
    }

    /** The topic whose failed records go to {@code deadLetterTopic}, if a consumer of this service sends them there. */
    public Optional<String> topicOf(String deadLetterTopic) {
        return channels.stream().filter(c -> deadLetterTopic.equals(c.deadLetterTopic())).map(Channel::topic).findFirst();
    }

    void checkAtStartup(@Observes StartupEvent started) {
        List<String> problems = problems(channels, retryBudget);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Kafka consumers that could lose records: " + String.join("; ", problems));
        }
    }

    static List<String> problems(List<Channel> channels, Duration retryBudget) {
        List<String> problems = new ArrayList<>();
        for (Channel c : channels) {
            if (!CountedDeadLetterQueue.STRATEGY.equals(c.failureStrategy()) || c.deadLetterTopic() == null) {
                problems.add(c.name() + " needs failure-strategy=" + CountedDeadLetterQueue.STRATEGY + " and a dead-letter-queue.topic");
            }
            if (c.maxAgeMs() > 0 && c.maxAgeMs() < RETRY_BUDGETS * retryBudget.toMillis()) {
                problems.add(c.name() + " has throttled.unprocessed-record-max-age.ms=" + c.maxAgeMs() + ", under "
                        + RETRY_BUDGETS + " x sohbet.messaging.retry.max-duration (" + retryBudget + "): a retry would get the consumer closed");
            }
        }
        return problems;
    }
}
