package io.sohbet.kit.messaging;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security lines of the services' application.properties (the same in all five, read here from webhook-service's
 * copy below) and the environment as the chart and devstack give it.
 */
class KafkaClientSettingsTest {

    /** The Kafka security block every service's application.properties has. */
    static final Map<String, String> PROPERTIES = Map.of(
            "kafka.bootstrap.servers", "${KAFKA_BOOTSTRAP_SERVERS:localhost:9092}",
            "kafka.security.protocol", "${KAFKA_SECURITY_PROTOCOL:PLAINTEXT}",
            "kafka.sasl.mechanism", "${KAFKA_SASL_MECHANISM:SCRAM-SHA-512}",
            "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"${KAFKA_SASL_USERNAME:}\" password=\"${KAFKA_SASL_PASSWORD:}\";");

    static Map<String, Object> settings(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(PROPERTIES, "application.properties", 250))
                .withSources(new EnvConfigSource(environment, 300) {
                })
                .build();
        return KafkaClientSettings.settings(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class),
                Optional.of("webhook-service"));
    }

    @Test
    void withoutAnyVariableTheClientsSpeakPlaintextToLocalhost() {
        Map<String, Object> settings = settings(Map.of());
        assertThat(settings).containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("group.id", "webhook-service")
                .doesNotContainKeys("ssl.truststore.location", "ssl.truststore.type", "sasl.username", "sasl.password");
    }

    @Test
    void emptyVariablesMeanNotSetAndNeverReachKafkaAsEmptyStrings() {
        Map<String, Object> settings = settings(Map.of("KAFKA_SECURITY_PROTOCOL", "", "KAFKA_SASL_MECHANISM", "",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "", "KAFKA_SSL_TRUSTSTORE_TYPE", " ", "KAFKA_SASL_USERNAME", ""));
        assertThat(settings.values()).allSatisfy(v -> assertThat(v.toString()).isNotBlank());
        assertThat(settings).doesNotContainKeys("ssl.truststore.location", "ssl.truststore.type")
                .doesNotContainEntry("security.protocol", "");
        // and a Kafka client accepts what is left
        assertThat(new ProducerConfig(producer(settings)).getString("security.protocol")).isEqualTo("PLAINTEXT");
    }

    @Test
    void saslSslWithAUsernameAndPasswordAndAPemTruststore() {
        Map<String, Object> settings = settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", "sohbet-kafka-bootstrap:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_USERNAME", "shop-sohbet-webhook",
                "KAFKA_SASL_PASSWORD", "s3cret", "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/sohbet/kafka-ca/ca.crt"));
        assertThat(settings).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"shop-sohbet-webhook\" password=\"s3cret\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/sohbet/kafka-ca/ca.crt")
                .doesNotContainKeys("sasl.username", "sasl.password");
        assertThat(KafkaClientSettings.security(settings)).containsOnlyKeys("security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.type", "ssl.truststore.location");
    }

    @Test
    void aWholeJaasLineWinsOverTheUsernameAndPassword() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
        Map<String, Object> settings = settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_JAAS_CONFIG", jaas));
        assertThat(settings).containsEntry("sasl.jaas.config", jaas);
    }

    @Test
    void everyServiceHasTheSameSecurityBlock() throws IOException {
        for (String service : new String[] {"webhook", "consent", "metrics", "segment", "campaign"}) {
            Properties properties = new Properties();
            URL file = new java.io.File("../" + service + "-service/src/main/resources/application.properties").toURI().toURL();
            try (InputStream in = file.openStream()) {
                properties.load(in);
            }
            PROPERTIES.forEach((key, value) -> assertThat(properties.getProperty(key)).as(service + " " + key).isEqualTo(value));
        }
    }

    private static Map<String, Object> producer(Map<String, Object> settings) {
        Map<String, Object> producer = new HashMap<>(settings);
        producer.remove("group.id");
        producer.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        producer.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        return producer;
    }
}
