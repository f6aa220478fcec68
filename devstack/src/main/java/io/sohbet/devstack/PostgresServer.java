package io.sohbet.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 (zonky's binaries from Maven Central, unpacked by {@link PostgresBinaries}) run in the
 * foreground by a child JVM, so that it stops when the parent dies (the JVM watches its {@link Lifeline}).
 *
 * <pre>java -cp ... io.sohbet.devstack.PostgresServer PORT DATA_DIR INSTALLATION_DIR</pre>
 * Prints {@value #READY} when connections are accepted, and exits when PostgreSQL does. An existing data folder is
 * kept; a new one is made by {@code initdb} in a temporary sibling and renamed into place, so a start killed during
 * {@code initdb} leaves nothing the next start would trust (and the next start deletes what it left). Text is compared
 * and case-mapped by PostgreSQL's own {@code C.UTF-8} (built-in provider): the same on every machine.
 *
 * <p>A new cluster gets a random superuser password ({@value #PASSWORD_FILE} in the data folder, readable by its owner
 * only) and password authentication, so other users of the machine cannot log in. As root (containers, CI)
 * PostgreSQL refuses to run, so its programs then run in a user namespace of their own ({@code unshare --user}).
 */
public final class PostgresServer {

    public static final String READY = "POSTGRES_READY";
    /** The superuser's password, in the data folder; clusters made before it existed use trust and have none. */
    static final String PASSWORD_FILE = "sohbet.password";
    /** The password of clusters made before {@value #PASSWORD_FILE} existed (trust authentication: any will do). */
    static final String TRUST_PASSWORD = "postgres";

    /** Server settings: as zonky's (UTC, no synchronous commit, many connections for several services). */
    private static final Map<String, String> SETTINGS = Map.of("timezone", "UTC", "synchronous_commit", "off",
            "max_connections", "300", "listen_addresses", "localhost", "unix_socket_directories", "",
            "lc_messages", "C");

    /** The {@link LocalCertificateAuthority} that signs the server's certificate. */
    static final String TLS_AUTHORITY = "postgres";

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
        // TLS as in the cluster (CloudNativePG): the services connect with sslmode=verify-full against Postgres#caCertificate
        LocalCertificateAuthority.Issued tls = LocalCertificateAuthority.cached(TLS_AUTHORITY);
        command.addAll(List.of("-c", "ssl=on", "-c", "ssl_cert_file=" + tls.certificate(), "-c", "ssl_key_file=" + tls.privateKey()));
        Process postgres = new ProcessBuilder(asUnprivileged(command)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(installation, data, postgres), "postgres-stop"));
        postgres.onExit().thenRun(() -> Runtime.getRuntime().halt(postgres.exitValue() == 0 ? 0 : 1));

        awaitConnections(port, password(data), postgres);
        System.out.println(READY + " port " + port + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The superuser's password of the cluster in {@code data}. */
    static String password(Path data) throws IOException {
        Path file = data.resolve(PASSWORD_FILE);
        return Files.isRegularFile(file) ? Files.readString(file).strip() : TRUST_PASSWORD;
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
        Files.createDirectories(data.getParent());
        String prefix = "." + data.getFileName() + ".initdb-";
        try (Stream<Path> siblings = Files.list(data.getParent())) { // what a start killed during initdb left
            for (Path leftOver : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                if (!alive(leftOver.getFileName().toString().substring(prefix.length()))) {
                    ToolCache.deleteTree(leftOver);
                }
            }
        }
        Path partial = data.resolveSibling(prefix + ProcessHandle.current().pid());
        Path passwordFile = data.resolveSibling(prefix + ProcessHandle.current().pid() + ".password");
        String password = newPassword();
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        try {
            List<String> initdb = List.of(installation.resolve("bin/initdb").toString(), "-A", "scram-sha-256",
                    "--pwfile=" + passwordFile, "-U", Postgres.USER, "-D", partial.toString(), "-E", "UTF-8", "--locale=C",
                    "--locale-provider=builtin", "--builtin-locale=C.UTF-8");
            Process process = new ProcessBuilder(asUnprivileged(initdb)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            Thread killInitdb = new Thread(process::destroyForcibly, "initdb-stop"); // the parent went away meanwhile
            Runtime.getRuntime().addShutdownHook(killInitdb);
            int exit = process.waitFor();
            Runtime.getRuntime().removeShutdownHook(killInitdb);
            if (exit != 0) {
                throw new IllegalStateException("initdb failed with exit code " + exit + rootHint());
            }
            Path kept = partial.resolve(PASSWORD_FILE);
            Files.createFile(kept, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kept, password, StandardCharsets.UTF_8);
            Files.move(partial, data, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | InterruptedException e) {
            ToolCache.deleteTree(partial);
            throw e;
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    /** A random password of URL-safe characters (no quote to escape in SQL). */
    static String newPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException notAPid) {
            return false;
        }
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

    private static String rootHint() throws IOException {
        return isRoot() ? "; as root, PostgreSQL runs in a user namespace of its own (unshare --user): if the log shows "
                + "that unshare failed, user namespaces are not allowed here (in Docker, its default seccomp profile "
                + "refuses them): run as a non-root user instead" : "";
    }

    private static boolean isRoot() throws IOException {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (UnsupportedOperationException | IOException notLinux) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void awaitConnections(int port, String password, Process postgres) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SQLException last = null;
        while (System.nanoTime() < deadline && postgres.isAlive()) {
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                    Postgres.USER, password)) {
                connection.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("PostgreSQL accepted no connection on port " + port
                + (last == null ? "" : ": " + last.getMessage()) + rootHint());
    }

    /**
     * Fast shutdown (sessions are ended, data is flushed) with the installation's {@code pg_ctl}; PostgreSQL's own
     * "smart" shutdown (SIGTERM) if that fails; forced after 30 s.
     */
    private static void stop(Path installation, Path data, Process postgres) {
        if (!postgres.isAlive()) {
            return;
        }
        try {
            List<String> pgCtl = List.of(installation.resolve("bin/pg_ctl").toString(), "stop", "-D", data.toString(),
                    "-m", "fast", "-w", "-t", "30");
            Process stopping = new ProcessBuilder(asUnprivileged(pgCtl)).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            if (!stopping.waitFor(35, TimeUnit.SECONDS) || stopping.exitValue() != 0) {
                postgres.destroy();
            }
            if (!postgres.waitFor(30, TimeUnit.SECONDS)) {
                postgres.destroyForcibly();
            }
        } catch (IOException e) {
            postgres.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postgres.destroyForcibly();
        }
    }
}
