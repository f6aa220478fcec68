package io.sohbet.consent.messaging;

import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaPreference;
import io.sohbet.kit.Problem;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Dead-lettered records are counted and can be replayed: a record the consumer cannot use goes to the dead-letter
 * topic at once and counts in sohbet_dlq_records_total; POST /admin/dlq/{topic}/replay puts a topic's records back
 * with their key, headers and event id, the idempotent consumer applies a replayed STOP once however often it comes
 * back, and a second replay finds nothing new. Only admins may replay, only this service's dead-letter topics.
 */
@QuarkusTest
class DeadLetterReplayTest {

    private static final String PREFERENCES_DLQ = Topics.deadLetter(Topics.WA_PREFERENCE);

    @Inject
    ConsentRecordRepository records;

    @Inject
    Database database;

    @TestHTTPResource(value = "/metrics", management = true) // /q/metrics on the management port
    URL metrics;

    static String admin() {
        return TestTokens.person("sohbet-consent", "ayse", "admin").sign();
    }

    static int replay(String topic) {
        return given().auth().oauth2(admin()).when().post("/admin/dlq/" + topic + "/replay").then().statusCode(200)
                .body("deadLetterTopic", equalTo(topic)).body("remaining", equalTo(0))
                .extract().path("replayed");
    }

    @Test
    void aDeadLetteredStopIsReplayedWithItsKeyHeadersAndIdAndAppliedOnce() throws Throwable {
        replay(PREFERENCES_DLQ); // whatever earlier tests left there
        String subject = UUID.randomUUID().toString().replace("-", "") + "xyz";
        CloudEvent stop = CloudEvent.of(Topics.WA_PREFERENCE, "wa.preference:" + subject + ":stop", "/sohbet/webhook-service",
                Instant.now(), subject, new WaPreference("marketing_messages", "stop", "User requested to stop", Instant.now(), "pn"));
        Map<String, String> headers = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "dead-letter-exception-class-name", "io.vertx.pgclient.PgException", "dead-letter-reason", "terminating connection",
                "dead-letter-topic", Topics.WA_PREFERENCE);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_PREFERENCE)) {
            // dead-lettered twice: by two replicas around a rebalance, say
            kafka.send(PREFERENCES_DLQ, subject, stop, headers);
            kafka.send(PREFERENCES_DLQ, subject, stop, headers);

            given().auth().oauth2(admin()).when().post("/admin/dlq/" + PREFERENCES_DLQ + "/replay").then().statusCode(200)
                    .body("deadLetterTopic", equalTo(PREFERENCES_DLQ)).body("topic", equalTo(Topics.WA_PREFERENCE))
                    .body("replayed", equalTo(2)).body("skipped", equalTo(0)).body("remaining", equalTo(0));

            List<ConsumerRecord<String, CloudEvent>> back = kafka.await(2, r -> stop.id().equals(r.value().id()), Duration.ofSeconds(10));
            assertThat(back).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(subject);
                assertThat(r.value()).isEqualTo(stop);
                Header trace = r.headers().lastHeader("traceparent");
                assertThat(new String(trace.value(), StandardCharsets.UTF_8)).isEqualTo(headers.get("traceparent"));
                assertThat(r.headers()).extracting(Header::key).noneMatch(k -> k.startsWith("dead-letter-"));
            });
        }
        assertThat(awaitHistory(subject)).singleElement().satisfies(r -> {
            assertThat(r.state).isEqualTo("revoked");
            assertThat(r.source).isEqualTo("whatsapp-preference");
        });

        assertThat(replay(PREFERENCES_DLQ)).as("nothing new to replay").isZero();
        Thread.sleep(1000);
        assertThat(VertxContextSupport.subscribeAndAwait(() ->
                database.withConnection(() -> records.history(subject)))).hasSize(1);
    }

    @Test
    void aRecordThatCannotBeUsedIsDeadLetteredAtOnceAndCounted() {
        String subject = UUID.randomUUID().toString().replace("-", "") + "xyz";
        CloudEvent broken = new CloudEvent(CloudEvent.SPEC_VERSION, "wa.inbound:broken-" + subject, Topics.eventType(Topics.WA_INBOUND),
                "/sohbet/webhook-service", Instant.now(), subject, CloudEvent.CONTENT_TYPE, TextNode.valueOf("not a message"));
        Map<String, String> series = Map.of("topic", Topics.WA_INBOUND, "channel", "wa-inbound-in", "reason", "IllegalArgumentException");
        double before = PrometheusText.value(metricsText(), "sohbet_dlq_records_total", series);

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.deadLetter(Topics.WA_INBOUND))) {
            long sent = System.nanoTime();
            kafka.send(Topics.WA_INBOUND, subject, broken);
            ConsumerRecord<String, CloudEvent> dead = kafka.await(1, r -> r.value() != null && broken.id().equals(r.value().id()),
                    Duration.ofSeconds(20)).get(0);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("not retried: a payload does not get better")
                    .isLessThan(Duration.ofSeconds(15));
            assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8)).isEqualTo(Topics.WA_INBOUND);
            // the headers name the failure's class only: the parser's message quotes the payload it could not read
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .isEqualTo("IllegalArgumentException");
            for (org.apache.kafka.common.header.Header header : dead.headers()) {
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).as(header.key()).doesNotContain("not a message");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double after = before;
        while (after < before + 1 && System.nanoTime() < deadline) {
            after = PrometheusText.value(metricsText(), "sohbet_dlq_records_total", series);
        }
        assertThat(after).isEqualTo(before + 1);
        assertThat(metricsText()).doesNotContain("not a message");
    }

    @Test
    void onlyAdminsReplayAndOnlyThisServicesDeadLetterTopics() {
        given().when().post("/admin/dlq/" + PREFERENCES_DLQ + "/replay").then().statusCode(401);
        given().auth().oauth2(TestTokens.person("sohbet-consent", "zeynep", "privacy-officer").sign())
                .when().post("/admin/dlq/" + PREFERENCES_DLQ + "/replay").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        // consent-service does not consume wa.status
        given().auth().oauth2(admin()).when().post("/admin/dlq/wa.status.dlq/replay").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("status", equalTo(404));
        for (String notADeadLetterTopic : List.of("wa.inbound", "WA.INBOUND.dlq", "wa.inbound.dlq%20", ".dlq")) {
            given().auth().oauth2(admin()).urlEncodingEnabled(false)
                    .when().post("/admin/dlq/" + notADeadLetterTopic + "/replay").then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/topic"));
        }
    }

    List<ConsentRecord> awaitHistory(String subject) throws Throwable {
        List<ConsentRecord> history = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (history.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            history = VertxContextSupport.subscribeAndAwait(() ->
                    database.withConnection(() -> records.history(subject)));
        }
        Thread.sleep(1000); // the second copy came back too: a second entry would be there now
        return VertxContextSupport.subscribeAndAwait(() -> database.withConnection(() -> records.history(subject)));
    }

    String metricsText() {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }
}
