package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.service.DestructionReplay;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention runs that went to privacy.destruction.dlq (the recorder failed for its whole retry window: the records are
 * sent here as the dead-letter strategy sends them, with its headers) are recorded by consent-service's own replay,
 * from the real broker into the real database: once per (service, run id) however often the run is in the topic or the
 * replay runs, refused runs stay refused and are listed with why, the replay is audited, and only admins may run it.
 */
@QuarkusTest
class DestructionReplayTest {

    static final String PATH = "/api/destruction-records/dead-letters/replay";
    static final Map<String, String> DEAD_LETTERED = Map.of("dead-letter-exception-class-name", "io.vertx.pgclient.PgException",
            "dead-letter-reason", "PgException:57P01", "dead-letter-topic", Topics.PRIVACY_DESTRUCTION,
            "dead-letter-partition", "0", "dead-letter-offset", "17");

    @Inject
    Pool pool;

    static String admin() {
        return TestTokens.person("sohbet-consent", "ayse", "admin").sign();
    }

    static Map<String, Object> replay() {
        return given().auth().oauth2(admin()).when().post(PATH).then().statusCode(200)
                .extract().jsonPath().getMap("$");
    }

    @Test
    @SuppressWarnings("unchecked")
    void deadLetteredRunsAreRecordedOnceAndRefusedOnesStayRefused() throws Throwable {
        Instant from = Instant.now().minusSeconds(1);
        String lost = UUID.randomUUID().toString();
        String forged = UUID.randomUUID().toString();
        String empty = UUID.randomUUID().toString();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            PrivacyDestruction run = DestructionRecorderTest.run("metrics-service", lost, 5);
            String dlq = Topics.deadLetter(Topics.PRIVACY_DESTRUCTION);
            kafka.send(dlq, "metrics-service", DestructionRecorderTest.event(run), DEAD_LETTERED);
            kafka.send(dlq, "metrics-service", DestructionRecorderTest.event(run), DEAD_LETTERED); // by two replicas
            kafka.send(dlq, "metrics-service", DestructionRecorderTest.event(DestructionRecorderTest.run("console-service", forged, 3)),
                    DEAD_LETTERED);
            kafka.send(dlq, "segment-service", DestructionRecorderTest.event(new PrivacyDestruction(empty, "segment-service",
                    Instant.now(), List.of())), DEAD_LETTERED);
        }
        assertThat(DestructionRecorderTest.report(from)).as("not recorded before the replay")
                .noneMatch(r -> lost.equals(r.get("reference")));
        long auditsBefore = audits();

        Map<String, Object> first = replay();
        assertThat(first.get("deadLetterTopic")).isEqualTo("privacy.destruction.dlq");
        assertThat(first.get("recorded")).as("the lost run, once though dead-lettered twice").isEqualTo(1);
        assertThat((Integer) first.get("alreadyRecorded")).isGreaterThanOrEqualTo(1);
        assertThat(first.get("remaining")).isEqualTo(0);
        assertThat((List<Object>) first.get("failed")).isEmpty();
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) first.get("rejected");
        assertThat(rejected).filteredOn(r -> forged.equals(r.get("runId"))).singleElement().satisfies(r -> {
            assertThat(r.get("service")).isEqualTo("console-service");
            assertThat((String) r.get("reason")).contains("service must be one of");
        });
        assertThat(rejected).filteredOn(r -> empty.equals(r.get("runId"))).singleElement()
                .satisfies(r -> assertThat((String) r.get("reason")).contains("nothing it destroyed"));
        assertThat(rejected).noneMatch(r -> lost.equals(r.get("runId")));

        List<Map<String, Object>> records = DestructionRecorderTest.report(from).stream()
                .filter(r -> lost.equals(r.get("reference"))).toList();
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("actor")).isEqualTo("metrics-service");
            assertThat(r.get("service")).isEqualTo("metrics-service");
            assertThat(r.get("legalReason")).isEqualTo(DestructionRecorderTest.REASON);
        });
        assertThat(records).extracting(r -> ((Number) r.get("records")).longValue()).containsExactlyInAnyOrder(5L, 2L);

        Map<String, Object> second = replay();
        assertThat(second.get("recorded")).as("a second replay adds nothing").isEqualTo(0);
        assertThat((Integer) second.get("alreadyRecorded")).isGreaterThanOrEqualTo(2);
        assertThat((List<Map<String, Object>>) second.get("rejected")).as("refused runs stay refused and visible")
                .extracting(r -> r.get("runId")).contains(forged, empty);
        assertThat(DestructionRecorderTest.report(from)).filteredOn(r -> lost.equals(r.get("reference"))).hasSize(2);
        assertThat(DestructionRecorderTest.report(from)).extracting(r -> r.get("reference")).doesNotContain(forged, empty);
        assertThat(audits()).as("each replay is audited").isEqualTo(auditsBefore + 2);
    }

    @Test
    void onlyAdminsReplay() {
        given().when().post(PATH).then().statusCode(401);
        given().auth().oauth2(TestTokens.person("sohbet-consent", "zeynep", "privacy-officer").sign())
                .when().post(PATH).then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    long audits() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM audit_entry WHERE action = $1").execute(Tuple.of(DestructionReplay.ACTION))).iterator().next().getLong(0);
    }
}
