package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-planning at the edge: a planner that stalls (segment-service slow) past the planning timeout is taken over, the
 * new planner finishes (excluding people) and sending starts; when the stalled planner wakes up it must write nothing
 * — no excluded or erased person put back, no second "planned".
 */
@QuarkusTest
class PlanningFenceTest {

    @Inject
    Pool pool;

    @Test
    void aPlannerWhoseClaimWasTakenOverWritesNothing() throws Throwable {
        takenOver(true);
    }

    /** The new planner has claimed but not finished: only the generation can tell the stalled one to stop. */
    @Test
    void aPlannerWhoseClaimWasTakenOverWritesNothingWhileTheNewOneIsStillPlanning() throws Throwable {
        takenOver(false);
    }

    void takenOver(boolean newPlannerFinished) throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("fence", 20, s);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PeerStandIns.MEMBERS_GATES.put(segment, new CountDownLatch[] {reached, release});
        try {
            Map<String, Object> d = CampaignResourceTest.draft(segment);
            String id = launch(d);
            assertThat(reached.await(20, TimeUnit.SECONDS)).as("planning started and asked for the members").isTrue();
            long stalled = generation(id);
            // meanwhile (past the planning timeout) another replica took over and planned: it took the next generation,
            // excluded everyone but two people, and the campaign is planned and sending
            sql(pool, "UPDATE campaign SET planning_generation = planning_generation + 1, planning_started_at = now() WHERE id = $1", id);
            sql(pool, "INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at) VALUES ($1, $2, 'a', 'all', "
                    + "'queued', now() + interval '1 hour'), ($1, $3, 'a', 'all', 'queued', now() + interval '1 hour')", id, s.get(0), s.get(1));
            if (newPlannerFinished) {
                sql(pool, "UPDATE campaign SET planned_at = now(), audience = 2 WHERE id = $1", id);
            }
            release.countDown();
            Thread.sleep(3000);
            assertThat(count(id)).as("the stalled planner inserted nobody").isEqualTo(2);
            Row campaign = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT audience, planning_generation, "
                    + "planned_at FROM campaign WHERE id = $1").execute(Tuple.of(id)).map(r -> r.iterator().next()));
            if (newPlannerFinished) {
                assertThat(campaign.getInteger("audience")).isEqualTo(2);
            } else {
                assertThat(campaign.getValue("planned_at")).as("the stalled planner did not mark it planned").isNull();
            }
            assertThat(campaign.getLong("planning_generation")).isEqualTo(stalled + 1);
            SendingTest.cancel(id);
        } finally {
            release.countDown();
            PeerStandIns.MEMBERS_GATES.remove(segment);
        }
    }

    long generation(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT planning_generation FROM campaign WHERE id = $1")
                .execute(Tuple.of(id)).map(r -> r.iterator().next().getLong(0)));
    }

    long count(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM send_queue WHERE campaign_id = $1")
                .execute(Tuple.of(id)).map(r -> r.iterator().next().getLong(0)));
    }
}
