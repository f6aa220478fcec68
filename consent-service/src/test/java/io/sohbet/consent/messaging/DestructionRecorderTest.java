package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyDestruction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.officer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Other services' retention runs arrive on privacy.destruction from the real broker and become destruction records,
 * by the service, once per (service, run id) even when delivered twice; a run that names a service not allowed to
 * write the topic, or destroyed nothing, is refused.
 */
@QuarkusTest
class DestructionRecorderTest {

    static final String REASON = "KVKK m.7 and the destruction regulation art. 11 (periodic destruction): the retention "
            + "period of the policy elapsed (sohbet.segment.retention.history: P90D)";

    static CloudEvent event(PrivacyDestruction run) {
        return CloudEvent.of(Topics.PRIVACY_DESTRUCTION, "destruction:" + run.service() + ":" + run.runId(), "/sohbet/" + run.service(),
                run.ranAt(), null, run);
    }

    static PrivacyDestruction run(String service, String runId, long records) {
        return new PrivacyDestruction(runId, service, Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(
                new PrivacyDestruction.Entry("interaction", "Kimlik, Pazarlama", records, PrivacyDestruction.DELETION,
                        "rows older than the period deleted", REASON),
                new PrivacyDestruction.Entry("sent_message", "Kimlik, Müşteri İşlem", 2, PrivacyDestruction.DELETION,
                        "rows older than the period deleted", REASON)));
    }

    static List<Map<String, Object>> report(Instant from) {
        return given().auth().oauth2(officer()).queryParam("from", from.toString()).when().get("/api/destruction-records")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getList("$");
    }

    @Test
    void aRunIsRecordedOnceByItsServiceEvenWhenDeliveredTwice() throws Throwable {
        Instant from = Instant.now().minusSeconds(1);
        String twice = UUID.randomUUID().toString();
        String forged = UUID.randomUUID().toString();
        String empty = UUID.randomUUID().toString();
        String last = UUID.randomUUID().toString();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            PrivacyDestruction run = run("segment-service", twice, 7);
            kafka.send(Topics.PRIVACY_DESTRUCTION, "segment-service", event(run));
            kafka.send(Topics.PRIVACY_DESTRUCTION, "segment-service", event(run)); // redelivered
            kafka.send(Topics.PRIVACY_DESTRUCTION, "segment-service", event(run("console-service", forged, 3)));
            kafka.send(Topics.PRIVACY_DESTRUCTION, "segment-service", event(new PrivacyDestruction(empty, "segment-service",
                    Instant.now(), List.of())));
            // the same key, so the same partition: once this one is recorded, the ones before it were handled
            kafka.send(Topics.PRIVACY_DESTRUCTION, "segment-service", event(run("metrics-service", last, 1)));
        }
        List<Map<String, Object>> records = List.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (records.stream().noneMatch(r -> last.equals(r.get("reference"))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
            records = report(from);
        }
        List<Map<String, Object>> recorded = records.stream().filter(r -> twice.equals(r.get("reference"))).toList();
        assertThat(recorded).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("actor")).isEqualTo("segment-service");
            assertThat(r.get("service")).isEqualTo("segment-service");
            assertThat(r.get("trigger")).isEqualTo("retention-rule");
            assertThat(r.get("method")).isEqualTo("silme");
            assertThat(r.get("legalReason")).isEqualTo(REASON);
        });
        assertThat(recorded).extracting(r -> r.get("dataset")).containsExactlyInAnyOrder("interaction", "sent_message");
        assertThat(recorded).extracting(r -> ((Number) r.get("records")).longValue()).containsExactlyInAnyOrder(7L, 2L);
        assertThat(records).filteredOn(r -> last.equals(r.get("reference"))).extracting(r -> r.get("actor"))
                .containsOnly("metrics-service");
        assertThat(records).extracting(r -> r.get("reference")).doesNotContain(forged, empty);
    }

    @Test
    void refusesRunsThatDoNotSayWhatWasDestroyedOrByWhom() {
        assertThat(DestructionRecorder.problem(run("segment-service", "r1", 1))).isNull();
        assertThat(DestructionRecorder.problem(run("webhook-service", "r1", 1))).isNull();
        assertThat(DestructionRecorder.problem(run("campaign-service", "r1", 1))).isNull();
        assertThat(DestructionRecorder.problem(run("consent-service", "r1", 1))).contains("service must be one of");
        assertThat(DestructionRecorder.problem(run("console-service", "r1", 1))).contains("service must be one of");
        assertThat(DestructionRecorder.problem(run("segment-service", " ", 1))).contains("run id");
        assertThat(DestructionRecorder.problem(run("segment-service", "r1", 0))).contains("at least one record");
        assertThat(DestructionRecorder.problem(new PrivacyDestruction("r1", "metrics-service", Instant.now(), List.of())))
                .contains("nothing it destroyed");
    }
}
