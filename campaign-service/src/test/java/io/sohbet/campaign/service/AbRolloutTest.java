package io.sohbet.campaign.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.campaign.service.SendingTest.QueueRow;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static io.sohbet.campaign.service.SendingTest.awaitCampaign;
import static io.sohbet.campaign.service.SendingTest.awaitRows;
import static io.sohbet.campaign.service.SendingTest.awaitStatus;
import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.marketer;
import static io.sohbet.campaign.service.SendingTest.rows;
import static io.sohbet.campaign.service.SendingTest.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end of an A/B test phase at the edges: metrics-service unreachable (the roll-out waits, then falls back with the
 * reason), a winner id that is not one of the campaign's variants (never sent as variant 0), and the split fallback
 * rolled out in SQL exactly as the planner's bucketing.
 */
@QuarkusTest
class AbRolloutTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    /** An A/B campaign of two template variants, its test phase sent; returns its id (rest waiting). */
    String testPhaseSent(String name, int n, String fallback, List<String> subjects) throws Throwable {
        String segment = PeerStandIns.audience(name, n, subjects);
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(variant("a", 1), variant("b", 1)));
        d.put("abTest", Map.of("testPercent", 30, "duration", "PT10M", "metric", "click-through", "fallback", fallback));
        String id = launch(d);
        awaitRows(pool, id, r -> r.size() == n && r.values().stream().noneMatch(q -> Set.of("queued", "sending").contains(q.status())),
                Duration.ofSeconds(30));
        return id;
    }

    static Map<String, Object> variant(String id, int weight) {
        return Map.of("id", id, "weight", weight, "message", Map.of("type", "template", "template", Map.of("name", PeerStandIns.TEMPLATE,
                "language", "tr", "body", List.of("{{firstName|Merhaba}}"))));
    }

    /** The test phase ended {@code ago} ago (and the rest became due). */
    void testPhaseEnded(String id, Duration ago) throws Throwable {
        sql(pool, "UPDATE campaign SET test_ends_at = now() - make_interval(secs => $2) WHERE id = $1", id, (double) ago.toSeconds());
        sql(pool, "UPDATE send_queue SET due_at = now() WHERE campaign_id = $1 AND status = 'waiting'", id);
    }

    @Test
    void whileMetricsServiceIsUnreachableTheRestWaitsThenGetsTheWinner() throws Throwable {
        List<String> s = new ArrayList<>();
        String id = testPhaseSent("ab-hold", 40, "first", s);
        PeerStandIns.METRICS_DOWN.add(id);
        PeerStandIns.AB_TESTS.put(id, JSON.readTree("{\"metric\":\"click-through\",\"pValue\":0.002,\"significant\":true,"
                + "\"enoughSample\":true,\"winner\":\"b\",\"variants\":[{\"variant\":\"a\",\"successes\":1,\"trials\":6},"
                + "{\"variant\":\"b\",\"successes\":5,\"trials\":6}]}"));
        try {
            testPhaseEnded(id, Duration.ofSeconds(1));
            Response held = awaitCampaign(id, r -> r.<String>path("winnerReason") != null, Duration.ofSeconds(15));
            assertThat(held.<String>path("winnerReason")).contains("waiting for metrics-service");
            Thread.sleep(3000);
            Response still = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id);
            assertThat(still.<String>path("winner")).as("no fallback picked for good on a brief outage").isNull();
            assertThat(still.<Integer>path("progress.waiting")).isPositive();
            assertThat(still.<String>path("status")).isEqualTo("running");
        } finally {
            PeerStandIns.METRICS_DOWN.remove(id);
        }
        Response done = awaitStatus(id, "completed", Duration.ofSeconds(40));
        assertThat(done.<String>path("winner")).isEqualTo("b");
        assertThat(done.<String>path("winnerReason")).startsWith("significant");
        assertThat(rows(pool, id).values()).filteredOn(r -> r.phase().equals("rest"))
                .isNotEmpty().allSatisfy(r -> assertThat(r).extracting(QueueRow::status, QueueRow::variant).containsExactly("sent", "b"));
    }

    @Test
    void afterTheDecisionWaitTheFallbackIsUsedAndSaysWhy() throws Throwable {
        List<String> s = new ArrayList<>();
        String id = testPhaseSent("ab-gone", 30, "first", s);
        PeerStandIns.METRICS_DOWN.add(id);
        try {
            // the test phase ended longer ago than the decision wait (PT1M in tests)
            testPhaseEnded(id, Duration.ofSeconds(65));
            Response done = awaitStatus(id, "completed", Duration.ofSeconds(40));
            assertThat(done.<String>path("winner")).isEqualTo("a");
            assertThat(done.<String>path("winnerReason")).contains("metrics-service unreachable for PT1M").contains("the first variant");
        } finally {
            PeerStandIns.METRICS_DOWN.remove(id);
        }
    }

    @Test
    void aWinnerThatIsNotAVariantIsNeverSentAndTheFallbackSaysWhy() throws Throwable {
        List<String> s = new ArrayList<>();
        String id = testPhaseSent("ab-unknown", 40, "leading", s);
        PeerStandIns.AB_TESTS.put(id, JSON.readTree("{\"metric\":\"click-through\",\"pValue\":0.001,\"significant\":true,"
                + "\"enoughSample\":true,\"winner\":\"zz\",\"variants\":[{\"variant\":\"a\",\"successes\":1,\"trials\":6},"
                + "{\"variant\":\"b\",\"successes\":4,\"trials\":6},{\"variant\":\"zz\",\"successes\":6,\"trials\":6}]}"));
        testPhaseEnded(id, Duration.ofSeconds(1));
        Response done = awaitStatus(id, "completed", Duration.ofSeconds(40));
        assertThat(done.<String>path("winner")).isEqualTo("b");
        assertThat(done.<String>path("winnerReason")).contains("'zz'").contains("not a variant").contains("leading variant");
        assertThat(rows(pool, id).values()).filteredOn(r -> r.phase().equals("rest"))
                .isNotEmpty().allSatisfy(r -> assertThat(r).extracting(QueueRow::status, QueueRow::variant).containsExactly("sent", "b"));
    }

    @Test
    void theSplitFallbackIsWorkedOutInSqlExactlyAsThePlannersBucketing() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("ab-split", 300, s);
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(variant("a", 70), variant("b", 20), variant("c", 10)));
        d.put("abTest", Map.of("testPercent", 10, "duration", "PT10M", "fallback", "split"));
        String id = launch(d);
        awaitRows(pool, id, r -> r.size() == 300 && r.values().stream().noneMatch(q -> Set.of("queued", "sending").contains(q.status())),
                Duration.ofSeconds(40));
        // paused: the split is checked on the rows, not on what was sent
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/pause").then().statusCode(200);
        testPhaseEnded(id, Duration.ofSeconds(1));
        Map<String, QueueRow> after = awaitRows(pool, id, r -> r.values().stream().noneMatch(q -> q.status().equals("waiting")),
                Duration.ofSeconds(20));
        List<CampaignDefinition.Variant> variants = List.of(SchedulingRulesTest.variant("a", 70), SchedulingRulesTest.variant("b", 20),
                SchedulingRulesTest.variant("c", 10));
        List<QueueRow> rest = after.values().stream().filter(r -> r.phase().equals("rest")).toList();
        assertThat(rest).hasSizeGreaterThan(200).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("queued");
            assertThat(r.variant()).isEqualTo(Bucketing.variant(id, r.subject(), variants));
        });
        assertThat(rest.stream().map(QueueRow::variant).distinct()).containsExactlyInAnyOrder("a", "b", "c");
        Response decided = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id);
        assertThat(decided.<String>path("winner")).isNull();
        assertThat(decided.<String>path("winnerReason")).contains("keeps the variant weights");
        SendingTest.cancel(id);
    }
}
