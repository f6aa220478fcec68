package io.sohbet.devstack;

import io.sohbet.events.TopicAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A secured broker of a test class's own ({@link KafkaBroker#startSecured}): the project's topics and one SCRAM user
 * per service with its grants ({@link TopicAccess#ALL}), in a temporary folder that {@link #close} deletes.
 */
public final class OwnSecuredBroker implements AutoCloseable {

    private final Path dir;
    private final KafkaBroker broker;

    private OwnSecuredBroker(Path dir, KafkaBroker broker) {
        this.dir = dir;
        this.broker = broker;
    }

    public static OwnSecuredBroker start(String name) throws IOException {
        Path dir = Files.createTempDirectory("sohbet-" + name + "-");
        KafkaBroker broker = KafkaBroker.startSecured(0, dir.resolve("kafka"), dir.resolve("kafka.log"));
        broker.createSohbetTopics();
        broker.createServiceUsers(TopicAccess.ALL);
        return new OwnSecuredBroker(dir, broker);
    }

    public KafkaBroker broker() {
        return broker;
    }

    /** The broker's own log (what its authorizer refused, among the rest). */
    public String log() {
        try {
            return Files.readString(dir.resolve("kafka.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        broker.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
