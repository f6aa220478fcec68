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
 * random password {@link #password()} of this data folder. A test can {@link #stop()} it and {@link #startAgain()} on
 * the same port and data folder, as a database restart or failover looks to the services.
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private volatile ChildProcess process;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private final String password;
    private int starts = 1;

    private Postgres(ChildProcess process, int port, Path dataDir, Path log, String password) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.password = password;
    }

    /**
     * Starts PostgreSQL on {@code port} (0 = any free one) with its data in {@code dataDir} (kept if present). The
     * binaries are unpacked into {@link ToolCache} by this JVM on first use; the child JVM only runs the server.
     */
    public static Postgres start(int port, Path dataDir, Path log) {
        int chosen = port == 0 ? Ports.free() : port;
        ChildProcess child = run(chosen, dataDir, log);
        try {
            return new Postgres(child, chosen, dataDir, log, PostgresServer.password(dataDir.toAbsolutePath()));
        } catch (java.io.IOException e) {
            child.close();
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ChildProcess run(int port, Path dataDir, Path log) {
        Path installation = PostgresBinaries.installation();
        ChildProcess child = ChildProcess.java("postgres", List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Classpaths.own(), PostgresServer.class.getName(),
                List.of(String.valueOf(port), dataDir.toString(), installation.toString()),
                log, line -> line.startsWith(PostgresServer.READY));
        child.awaitReady(Duration.ofSeconds(90));
        return child;
    }

    /**
     * Stops the server as an administrator's fast shutdown does: open sessions end, clients see their connections
     * refused until {@link #startAgain()}. Does nothing when it is stopped.
     */
    public synchronized void stop() {
        process.close();
    }

    /**
     * Starts the server again on the same port and data folder once {@link #stop() stopped} (a no-op while it runs);
     * returns when it accepts connections. Its log goes to a file of its own beside the first one.
     */
    public synchronized void startAgain() {
        if (process.isAlive()) {
            return;
        }
        starts++;
        String name = log.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = (dot > 0 ? name.substring(0, dot) : name) + "-" + starts + (dot > 0 ? name.substring(dot) : "");
        process = run(port, dataDir, log.resolveSibling(numbered));
    }

    /** Whether the server runs (it may still be starting). */
    public boolean isRunning() {
        return process.isAlive();
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

    /** The CA certificate (PEM) of the server's certificate, for clients that verify it (sslmode=verify-full). */
    public Path caCertificate() {
        return LocalCertificateAuthority.cached(PostgresServer.TLS_AUTHORITY).caCertificate();
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

    /** A login role and its password. */
    public record Login(String user, String password) {
    }

    /** The two roles of a database with {@link #createDatabaseWithRoles}: its owner (migrations) and the runtime role. */
    public record Roles(Login owner, Login runtime) {
    }

    /**
     * Creates the database unless it exists, owned by a login role of the same name, and a second login role
     * {@code runtimeRole} for the running application: the owner runs the migrations, which grant the runtime role what
     * it may do (and no more). Both roles get a new random password on every call. A database made before (owned by
     * the superuser) is handed to its owner role with every table, view and sequence of its {@code public} schema.
     */
    public Roles createDatabaseWithRoles(String name, String runtimeRole) {
        if (!DATABASE_NAME.matcher(runtimeRole).matches() || runtimeRole.equals(name) || runtimeRole.equals(USER)) {
            throw new IllegalArgumentException("not a runtime role name: " + runtimeRole);
        }
        Login owner = new Login(name, PostgresServer.newPassword());
        Login runtime = new Login(runtimeRole, PostgresServer.newPassword());
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
                Statement statement = connection.createStatement()) {
            login(statement, owner);
            login(statement, runtime);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the roles of " + name + ": " + e.getMessage(), e);
        }
        createDatabase(name);
        try (Connection connection = DriverManager.getConnection(jdbcUrl(name), USER, password);
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + name + " OWNER TO " + name);
            statement.execute(HAND_OVER_PUBLIC_SCHEMA.replace("$owner", name));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hand database " + name + " to its owner: " + e.getMessage(), e);
        }
        return new Roles(owner, runtime);
    }

    /**
     * Objects of the superuser in schema public, given to $owner; sequences of a column move with their table, members
     * of an extension stay.
     */
    private static final String HAND_OVER_PUBLIC_SCHEMA = """
            DO $$
            DECLARE r record;
            BEGIN
              FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                    AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype IN ('a', 'i', 'e'))
              LOOP
                EXECUTE format('ALTER %s public.%I OWNER TO %I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                    WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname, '$owner');
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS signature, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'public' AND p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                        AND d.deptype = 'e')
              LOOP
                EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                    r.signature, '$owner');
              END LOOP;
            END $$""";

    private static void login(Statement statement, Login login) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + login.user() + "'")) {
            if (!rs.next()) {
                try {
                    statement.execute("CREATE ROLE " + login.user() + " LOGIN PASSWORD '" + login.password() + "'");
                    return;
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState())) { // created concurrently by another caller
                        throw e;
                    }
                }
            }
        }
        statement.execute("ALTER ROLE " + login.user() + " WITH LOGIN NOSUPERUSER PASSWORD '" + login.password() + "'");
    }

    @Override
    public void close() {
        process.close();
    }
}
