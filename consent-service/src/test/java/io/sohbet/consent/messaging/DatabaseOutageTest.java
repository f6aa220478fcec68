package io.sohbet.consent.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.Postgres;
import io.sohbet.devstack.SharedInfrastructure;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaInbound;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A STOP consumed while consent-service's PostgreSQL restarts is not lost: the consumer retries the transient failure
 * (connection refused, the server starting up) until the database is back, records the revocation once, and sends
 * nothing to the dead-letter topic. The database is the module's shared one, stopped and started in place (same port
 * and data) and always started again, whatever the test's outcome (and the JDBC pool emptied of the connections the
 * restart ended; the reactive pool drops them by itself).
 */
@QuarkusTest
class DatabaseOutageTest {

    @Inject
    KeyVault vault;

    @Inject
    ConsentRecordRepository records;

    @Inject
    Database database;

    /** Flyway's JDBC pool: it keeps connections the restart ended, which later tests would be handed. */
    @Inject
    AgroalDataSource jdbc;

    @TestHTTPResource(value = "/metrics", management = true) // /q/metrics on the management port
    URL metrics;

    @Test
    void aStopConsumedWhileTheDatabaseIsDownIsRecordedOnceItIsBackAndNotDeadLettered() throws Throwable {
        Postgres postgres = SharedInfrastructure.get().postgres();
        assertThat(ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class))
                .as("the application uses the database this test stops").isEqualTo(postgres.reactiveUrl("consent"));
        String subject = UUID.randomUUID().toString().replace("-", "") + "xyz";
        CloudEvent stop = stopReply(subject, "wamid.outage-" + subject);
        double retriesBefore = retries();

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.deadLetter(Topics.WA_INBOUND))) {
            postgres.stop();
            try {
                kafka.send(Topics.WA_INBOUND, subject, stop);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (retries() <= retriesBefore && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(retries()).as("the consumer failed on the stopped database and retries").isGreaterThan(retriesBefore);
                Thread.sleep(3000); // a few more seconds down: several failed attempts
            } finally {
                postgres.startAgain();
                jdbc.flush(AgroalDataSource.FlushMode.ALL);
            }

            List<ConsentRecord> history = awaitHistory(subject);
            assertThat(history).singleElement().satisfies(r -> {
                assertThat(r.purpose).isEqualTo("marketing");
                assertThat(r.state).isEqualTo("revoked");
                assertThat(r.source).isEqualTo("whatsapp-stop-reply");
            });
            assertThat(kafka.drain(Duration.ofSeconds(1))).noneMatch(r -> r.value() != null && stop.id().equals(r.value().id()));
        }
        assertThat(PrometheusText.value(metricsText(), "sohbet_consumer_retries_total", Map.of())).isGreaterThan(retriesBefore);
    }

    CloudEvent stopReply(String subject, String wamid) throws Throwable {
        byte[] key = VertxContextSupport.subscribeAndAwait(() -> vault.getOrCreate(Set.of(subject))).get(subject);
        WaInbound message = new WaInbound(wamid, "pn", Instant.now(), "text", "text", null,
                FieldCipher.encrypt(key, subject, "STOP"), 4, null, null, null, null, null, null, null, false,
                null, null, null, null, List.of());
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/sohbet/webhook-service", Instant.now(), subject, message);
    }

    List<ConsentRecord> awaitHistory(String subject) throws Throwable {
        List<ConsentRecord> history = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (history.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            try {
                history = VertxContextSupport.subscribeAndAwait(() ->
                        database.withConnection(() -> records.history(subject)));
            } catch (RuntimeException stillStarting) {
                // the database may still refuse the test's own connection for a moment
            }
        }
        Thread.sleep(1000); // a second entry would come now
        return VertxContextSupport.subscribeAndAwait(() -> database.withConnection(() -> records.history(subject)));
    }

    double retries() {
        return PrometheusText.value(metricsText(), "sohbet_consumer_retries_total", Map.of());
    }

    String metricsText() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }
}
