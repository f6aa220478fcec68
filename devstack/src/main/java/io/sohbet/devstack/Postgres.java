package io.sohbet.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A running PostgreSQL 17 in a child process, listening on localhost only; the superuser is {@code postgres}, with the
 * random password {@link #password()} of this data folder.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final ChildProcess process;
    private final int port;
    private final Path dataDir;
    private final String password;

    private Postgres(ChildProcess process, int port, Path dataDir, String password) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code port} (0 = any free one) with its data in {@code dataDir} (kept if present). The
     * binaries are unpacked into {@link ToolCache} by this JVM on first use; the child JVM only runs the server.
     */
    public static Postgres start(int port, Path dataDir, Path log) {
        Path installation = PostgresBinaries.installation();
        int chosen = port == 0 ? Ports.free() : port;
        ChildProcess child = ChildProcess.java("postgres", List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Classpaths.own(), PostgresServer.class.getName(),
                List.of(String.valueOf(chosen), dataDir.toString(), installation.toString()),
                log, line -> line.startsWith(PostgresServer.READY));
        child.awaitReady(Duration.ofSeconds(90));
        try {
            return new Postgres(child, chosen, dataDir, PostgresServer.password(dataDir.toAbsolutePath()));
        } catch (java.io.IOException e) {
            child.close();
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The superuser's password (random per data folder; {@code postgres} for folders made before it existed). */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The child JVM that runs PostgreSQL. */
    public long pid() {
        return process.pid();
    }

    /** The postmaster's own process id, from {@code postmaster.pid}. */
    public long serverPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no postmaster.pid in " + dataDir, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // created concurrently by another caller
                throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
