package io.sohbet.webhook.repository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both connections to PostgreSQL, the reactive pool of the service and the JDBC one Flyway migrates over, are TLS
 * sessions verified with verify-full against the server's CA (devstack's PostgreSQL runs with ssl=on, as CloudNativePG).
 */
@QuarkusTest
class DatabaseTlsTest {

    static final String OWN_SESSION = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    @Inject
    Pool reactive;

    @Inject
    AgroalDataSource jdbc;

    @ConfigProperty(name = "quarkus.datasource.reactive.postgresql.ssl-mode")
    String reactiveMode;

    @ConfigProperty(name = "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode")
    String jdbcMode;

    @Test
    void theReactivePoolAndTheJdbcConnectionAreVerifiedTlsSessions() throws Exception {
        assertThat(reactiveMode).isEqualTo("verify-full");
        assertThat(jdbcMode).isEqualTo("verify-full");
        Row row = reactive.query(OWN_SESSION).execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(row.getBoolean("ssl")).isTrue();
        assertThat(row.getString("version")).startsWith("TLSv1.");
        try (Connection c = jdbc.getConnection(); ResultSet rs = c.createStatement().executeQuery(OWN_SESSION)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean("ssl")).isTrue();
        }
    }
}
