package io.sohbet.devstack;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SCRAM-SHA-512 user of devstack's secured broker and the broker's CA: the settings of a Kafka client that logs in as
 * that user over TLS, and the same as the environment variables the services read (README, Security → Kafka).
 */
public record KafkaCredentials(String username, String password, Path caCertificate) {

    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The client settings (protocol, mechanism, JAAS line, PEM truststore), without the bootstrap servers. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        settings.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + username + "\" password=\"" + password + "\";");
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString());
        return settings;
    }

    /** The environment of a service that logs in as this user (kit KafkaClientSettings reads it). */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        environment.put("KAFKA_SASL_MECHANISM", MECHANISM);
        environment.put("KAFKA_SASL_USERNAME", username);
        environment.put("KAFKA_SASL_PASSWORD", password);
        environment.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        environment.put("KAFKA_SSL_TRUSTSTORE_LOCATION", caCertificate.toString());
        return environment;
    }

    @Override
    public String toString() {
        return "KafkaCredentials[" + username + "]";
    }

    /** 32 letters and digits: nothing to escape in a JAAS line, like the passwords Strimzi generates. */
    static String randomPassword() {
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return password.toString();
    }
}
