package io.sohbet.devstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * The real PostgreSQL and Kafka for a service's {@code @QuarkusTest}s, without Docker. Use it once per module with
 * {@code restrictToAnnotatedClass = false} and the service's database name:
 *
 * <pre>
 * &#64;QuarkusTestResource(value = SohbetTestResource.class, restrictToAnnotatedClass = false,
 *         initArgs = &#64;ResourceArg(name = SohbetTestResource.DATABASE, value = "consent"))
 * </pre>
 *
 * The broker and the database server are shared by every application start of the test run; each service gets
 * its own database and all Sohbet topics exist. The services connect to PostgreSQL over TLS with
 * {@code sslmode=verify-full} against the server's CA ({@link Postgres#caCertificate()}), as in a cluster.
 *
 * <p>With {@link #RUNTIME_ROLE} the database is owned by a role of its own name, which runs the Flyway migrations
 * ({@code quarkus.flyway.username}), and the application connects as the runtime role, which has only what the
 * migrations grant it. Without it, everything runs as the superuser. Either way the superuser's JDBC URL and
 * credentials are given as {@value #SUPERUSER_URL}, {@value #SUPERUSER}, {@value #SUPERUSER_PASSWORD}, for tests that
 * play someone with full access to the database.
 */
public class SohbetTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "database";
    /** Init arg: the name of the application's own, restricted login role (the owner role has the database's name). */
    public static final String RUNTIME_ROLE = "runtime-role";
    public static final String SUPERUSER_URL = "devstack.postgres.superuser-jdbc-url";
    public static final String SUPERUSER = "devstack.postgres.superuser";
    public static final String SUPERUSER_PASSWORD = "devstack.postgres.superuser-password";

    private String database = "sohbet";
    private String runtimeRole;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE, database);
        runtimeRole = initArgs.get(RUNTIME_ROLE);
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infrastructure = SharedInfrastructure.get();
        Postgres postgres = infrastructure.postgres();
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                SUPERUSER_URL, postgres.jdbcUrl(database),
                SUPERUSER, Postgres.USER,
                SUPERUSER_PASSWORD, postgres.password(),
                "kafka.bootstrap.servers", infrastructure.kafka().bootstrapServers()));
        // over TLS, verified as in production: the server's chain up to devstack's CA and its host name, reactive and JDBC
        String ca = postgres.caCertificate().toString();
        config.put("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full");
        config.put("quarkus.datasource.reactive.trust-certificate-pem.enabled", "true");
        config.put("quarkus.datasource.reactive.trust-certificate-pem.certs", ca);
        config.put("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", "verify-full");
        config.put("quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert", ca);
        if (runtimeRole == null) {
            postgres.createDatabase(database);
            config.put("quarkus.datasource.username", Postgres.USER);
            config.put("quarkus.datasource.password", postgres.password());
        } else {
            Postgres.Roles roles = postgres.createDatabaseWithRoles(database, runtimeRole);
            config.put("quarkus.datasource.username", roles.runtime().user());
            config.put("quarkus.datasource.password", roles.runtime().password());
            config.put("quarkus.flyway.username", roles.owner().user());
            config.put("quarkus.flyway.password", roles.owner().password());
        }
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole test run; stopped when the JVM exits
    }
}
