package io.sohbet.kit.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Kafka client settings every client of a service uses: the SmallRye channels, Quarkus' Kafka health check, and the
 * service's own consumers and producers ({@link DeadLetterReplay}, consent-service's audit heads, webhook-service's
 * publisher). Replaces Quarkus' {@code default-kafka-broker} map, built the same way (each {@code kafka.*} property and
 * each {@code KAFKA_*} environment variable, {@code _} read as {@code .}, plus {@code group.id} = the application's name
 * when none is set), with two differences: a property that is empty is left out rather than passed as an empty string
 * (an empty {@code KAFKA_SECURITY_PROTOCOL} or {@code KAFKA_SSL_TRUSTSTORE_LOCATION} would otherwise fail the client
 * instead of meaning "not set"), and {@code KAFKA_SASL_USERNAME}/{@code KAFKA_SASL_PASSWORD}, which only fill in the
 * JAAS line of {@code kafka.sasl.jaas.config}, are not handed to Kafka as settings of their own.
 *
 * <p>Security comes from the environment (README, Security → Kafka): {@code KAFKA_SECURITY_PROTOCOL} (PLAINTEXT unless
 * set, or SASL_SSL), {@code KAFKA_SASL_MECHANISM} (SCRAM-SHA-512), {@code KAFKA_SASL_USERNAME} + {@code KAFKA_SASL_PASSWORD}
 * or a whole {@code KAFKA_SASL_JAAS_CONFIG}, and the broker's CA in {@code KAFKA_SSL_TRUSTSTORE_TYPE} (PEM or PKCS12),
 * {@code KAFKA_SSL_TRUSTSTORE_LOCATION} and, for PKCS12, {@code KAFKA_SSL_TRUSTSTORE_PASSWORD}.
 */
@Dependent
public class KafkaClientSettings {

    /** The identifier under which Quarkus and SmallRye look the settings up. */
    public static final String DEFAULT = "default-kafka-broker";
    /** Inputs of the JAAS line in application.properties, not Kafka settings. */
    static final Set<String> NOT_KAFKA = Set.of("sasl.username", "sasl.password");
    private static final String PREFIX = "kafka";
    private static final String TLS_NAME = "tls-configuration-name";

    @Produces
    @Singleton
    @Identifier(DEFAULT)
    Map<String, Object> settings(Config config) {
        return settings(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class),
                config.getOptionalValue("quarkus.application.name", String.class));
    }

    static Map<String, Object> settings(Iterable<String> names, Function<String, Optional<String>> values,
            Optional<String> application) {
        Map<String, Object> settings = new HashMap<>();
        for (String name : names) {
            String lower = name.toLowerCase();
            if (!lower.startsWith(PREFIX) || lower.length() <= PREFIX.length() + 1 || lower.startsWith("kafka.ui")
                    || lower.startsWith("kafka-streams")) {
                continue;
            }
            String key = lower.substring(PREFIX.length() + 1).replace('_', '.');
            Optional<String> value = values.apply(name).filter(v -> !v.isBlank());
            if (value.isEmpty() || NOT_KAFKA.contains(key)) {
                continue;
            }
            if (key.equals(TLS_NAME) || key.equals("tls.configuration.name")) {
                settings.put(TLS_NAME, value.get());
                settings.put("ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory");
            } else {
                settings.put(key, value.get());
            }
        }
        if (!settings.isEmpty() && !settings.containsKey("group.id")) {
            application.ifPresent(name -> settings.put("group.id", name));
        }
        return settings;
    }

    /** The security settings (protocol, SASL, TLS) of {@code settings}, for a client built from its own settings. */
    public static Map<String, Object> security(Map<String, Object> settings) {
        Map<String, Object> security = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.") || key.equals(TLS_NAME)) {
                security.put(key, value);
            }
        });
        return security;
    }
}
