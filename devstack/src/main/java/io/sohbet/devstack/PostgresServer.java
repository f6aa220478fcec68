package io.sohbet.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL 17 (zonky's binaries from Maven Central) run by a child JVM, so that it can be stopped when
 * the parent dies: PostgreSQL daemonises, and would otherwise outlive a killed parent.
 *
 * <pre>java -cp ... io.sohbet.devstack.PostgresServer PORT DATA_DIR</pre>
 * Prints {@value #READY} when connections are accepted. An existing data folder is kept.
 */
public final class PostgresServer {

    public static final String READY = "POSTGRES_READY";

    private PostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", System.getProperty("sohbet.postgres.fsync", "on"))
                .start();
        Runnable stop = () -> {
            try {
                postgres.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "postgres-stop"));
        Lifeline.exitWhenParentGoes();
        System.out.println(READY + " port " + postgres.getPort() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        Thread.currentThread().join();
    }
}
