package io.sohbet.devstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

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
 * its own database and all Sohbet topics exist.
 */
public class SohbetTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "database";

    private String database = "sohbet";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE, database);
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infrastructure = SharedInfrastructure.get();
        Postgres postgres = infrastructure.postgres();
        postgres.createDatabase(database);
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", Postgres.USER,
                "quarkus.datasource.password", postgres.password(),
                "kafka.bootstrap.servers", infrastructure.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // shared for the whole test run; stopped when the JVM exits
    }
}
