package io.sohbet.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 17 (zonky's binaries from Maven Central, unpacked by {@link PostgresBinaries}) run in the
 * foreground by a child JVM, so that it stops when the parent dies (the JVM watches its {@link Lifeline}).
 *
 * <pre>java -cp ... io.sohbet.devstack.PostgresServer PORT DATA_DIR INSTALLATION_DIR</pre>
 * Prints {@value #READY} when connections are accepted, and exits when PostgreSQL does. An existing data folder is
 * kept; a new one is made by {@code initdb} in a temporary sibling and renamed into place, so a start killed during
 * {@code initdb} leaves nothing the next start would trust. Text is compared and case-mapped by PostgreSQL's own
 * {@code C.UTF-8} (built-in provider): the same on every machine, whatever its locale. As root (containers, CI) PostgreSQL refuses to run, so its
 * programs then run in a user namespace of their own ({@code unshare -U}), where they are not root.
 */
public final class PostgresServer {

    public static final String READY = "POSTGRES_READY";

    /** Server settings: as zonky's (UTC, no synchronous commit, many connections for several services). */
    private static final Map<String, String> SETTINGS = Map.of("timezone", "UTC", "synchronous_commit", "off",
            "max_connections", "300", "listen_addresses", "localhost", "unix_socket_directories", "",
            "lc_messages", "C");

    private PostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]).toAbsolutePath();
        Path installation = Path.of(args[2]).toAbsolutePath();
        Lifeline.exitWhenParentGoes();
        initialise(installation, data);

        List<String> command = new ArrayList<>(List.of(installation.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-p", String.valueOf(port)));
        SETTINGS.forEach((key, value) -> command.addAll(List.of("-c", key + "=" + value)));
        Process postgres = new ProcessBuilder(asUnprivileged(command)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(postgres), "postgres-stop"));
        postgres.onExit().thenRun(() -> Runtime.getRuntime().halt(postgres.exitValue() == 0 ? 0 : 1));

        awaitConnections(port, postgres);
        System.out.println(READY + " port " + port + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Creates the data folder with {@code initdb} unless it holds a database already. */
    static void initialise(Path installation, Path data) throws IOException, InterruptedException {
        if (Files.isRegularFile(data.resolve("PG_VERSION"))) {
            return;
        }
        if (Files.isDirectory(data)) {
            try (var children = Files.list(data)) {
                if (children.findAny().isPresent()) {
                    throw new IllegalStateException(data + " is not empty and holds no PostgreSQL database: "
                            + "delete it to start afresh");
                }
            }
            Files.delete(data);
        }
        Path partial = data.resolveSibling("." + data.getFileName() + ".initdb-" + ProcessHandle.current().pid());
        ToolCache.deleteTree(partial);
        Files.createDirectories(data.getParent());
        List<String> initdb = List.of(installation.resolve("bin/initdb").toString(), "-A", "trust", "-U", Postgres.USER,
                "-D", partial.toString(), "-E", "UTF-8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8");
        Process process = new ProcessBuilder(asUnprivileged(initdb)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        if (process.waitFor() != 0) {
            ToolCache.deleteTree(partial);
            throw new IllegalStateException("initdb failed with exit code " + process.exitValue());
        }
        Files.move(partial, data, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The command as is, or run in a new user namespace when this process is root (PostgreSQL refuses root). */
    static List<String> asUnprivileged(List<String> command) throws IOException {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--user"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() throws IOException {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (UnsupportedOperationException | IOException notLinux) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void awaitConnections(int port, Process postgres) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < deadline && postgres.isAlive()) {
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                    Postgres.USER, Postgres.PASSWORD)) {
                connection.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("PostgreSQL accepted no connection on port " + port
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Fast shutdown (SIGINT: sessions are ended, data is flushed), forced after 30 s. */
    private static void stop(Process postgres) {
        if (!postgres.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(postgres.pid())).inheritIO().start().waitFor();
            if (!postgres.waitFor(30, TimeUnit.SECONDS)) {
                postgres.destroyForcibly();
            }
        } catch (IOException e) {
            postgres.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postgres.destroyForcibly();
        }
    }
}
