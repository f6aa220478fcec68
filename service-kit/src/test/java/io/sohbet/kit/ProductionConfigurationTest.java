package io.sohbet.kit;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every service's application.properties, read as in production (profile prod, the given environment only): the
 * database credentials and URLs, Flyway's owner (consent-service) and the server's CA have no fallback, so that a missing
 * variable stops the start with a message that names it instead of trying postgres/postgres on localhost.
 */
class ProductionConfigurationTest {

    static final Map<String, String> DATABASE = Map.of("DB_REACTIVE_URL", "postgresql://pg:5432/x", "DB_JDBC_URL",
            "jdbc:postgresql://pg:5432/x", "DB_USER", "x_app", "DB_PASSWORD", "secret", "DB_SSL_ROOT_CERT", "/etc/sohbet/db-ca/ca.crt",
            "DB_OWNER_USER", "x", "DB_OWNER_PASSWORD", "owner-secret");
    static final Map<String, String> REQUIRED = Map.of(
            "quarkus.datasource.reactive.url", "DB_REACTIVE_URL",
            "quarkus.datasource.jdbc.url", "DB_JDBC_URL",
            "quarkus.datasource.username", "DB_USER",
            "quarkus.datasource.password", "DB_PASSWORD",
            "quarkus.datasource.reactive.trust-certificate-pem.certs", "DB_SSL_ROOT_CERT",
            "quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert", "DB_SSL_ROOT_CERT");

    @ParameterizedTest
    @ValueSource(strings = {"webhook", "consent", "metrics", "segment", "campaign"})
    void aMissingDatabaseVariableStopsTheStartNamingIt(String service) throws IOException {
        Map<String, String> required = new HashMap<>(REQUIRED);
        if (service.equals("consent")) {
            required.put("quarkus.flyway.username", "DB_OWNER_USER");
            required.put("quarkus.flyway.password", "DB_OWNER_PASSWORD");
        }
        SmallRyeConfig complete = production(service, DATABASE);
        required.forEach((property, variable) -> assertThat(complete.getValue(property, String.class)).as(property)
                .isEqualTo(DATABASE.get(variable)));
        assertThat(complete.getValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)).isEqualTo("verify-full");
        assertThat(complete.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", String.class)).isEqualTo("verify-full");
        assertThat(complete.getValue("quarkus.swagger-ui.enabled", Boolean.class)).isFalse();

        for (Map.Entry<String, String> each : required.entrySet()) {
            Map<String, String> environment = new HashMap<>(DATABASE);
            environment.remove(each.getValue());
            SmallRyeConfig incomplete = production(service, environment);
            assertThatThrownBy(() -> incomplete.getValue(each.getKey(), String.class)).as(each.getKey())
                    .hasMessageContaining("Could not expand value " + each.getValue());
        }
    }

    /** The service's application.properties under profile prod, with {@code environment} as the only other source. */
    static SmallRyeConfig production(String service, Map<String, String> environment) throws IOException {
        Path properties = Path.of("..", service + "-service", "src", "main", "resources", "application.properties");
        return new SmallRyeConfigBuilder().withProfile("prod").addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties.toUri().toURL(), 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300)).build();
    }
}
