package io.sohbet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;

/**
 * One PostgreSQL and one Kafka broker per JVM (that is, per module test run), started on first use in parallel
 * and stopped when the JVM exits. Every Quarkus application a test run starts (one per test profile) shares them.
 */
public final class SharedInfrastructure {

    private static SharedInfrastructure instance;

    private final Postgres postgres;
    private final KafkaBroker kafka;
    private final Path dir;

    private SharedInfrastructure(Postgres postgres, KafkaBroker kafka, Path dir) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.dir = dir;
    }

    public static synchronized SharedInfrastructure get() {
        if (instance == null) {
            instance = start();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "devstack-stop"));
        }
        return instance;
    }

    private static SharedInfrastructure start() {
        long started = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("sohbet-devstack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(
                () -> KafkaBroker.start(0, dir.resolve("kafka"), dir.resolve("kafka.log")));
        Postgres postgres = Postgres.start(0, dir.resolve("postgres"), dir.resolve("postgres.log"));
        KafkaBroker broker = kafka.join();
        broker.createSohbetTopics();
        System.out.printf("[devstack] PostgreSQL on port %d, Kafka on %s, ready in %d ms (logs in %s)%n",
                postgres.port(), broker.bootstrapServers(), (System.nanoTime() - started) / 1_000_000, dir);
        return new SharedInfrastructure(postgres, broker, dir);
    }

    public Postgres postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    private void stop() {
        kafka.close();
        postgres.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary folder; the OS cleans it eventually
        }
    }
}
