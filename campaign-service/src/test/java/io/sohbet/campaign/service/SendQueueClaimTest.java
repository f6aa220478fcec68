package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.sohbet.campaign.service.SendingTest.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A claim reads the due rows of running campaigns only: thousands of due rows of a paused campaign (or one still
 * planning) ahead of them in time are never scanned. Checked on the real plan ({@code EXPLAIN ANALYZE}, rolled back).
 */
@QuarkusTest
class SendQueueClaimTest {

    @Inject
    Pool pool;

    @Inject
    SendQueue queue;

    @Test
    void aClaimNeverWalksThroughTheDueRowsOfPausedCampaigns() throws Throwable {
        String paused = "claim-paused-" + UUID.randomUUID();
        String running = "claim-running-" + UUID.randomUUID();
        sql(pool, "INSERT INTO campaign (id, name, status, definition, created_at, updated_at, start_at, planned_at) VALUES "
                + "($1, 'paused', 'paused', '{}'::jsonb, now(), now(), now(), now()), ($2, 'running', 'running', '{}'::jsonb, now(), now(), now(), now())",
                paused, running);
        try {
            // 5,000 rows of the paused campaign due an hour from now, one of the running campaign due a day from now
            sql(pool, "INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at) SELECT $1, 'p' || g, 'a', 'all', "
                    + "'queued', now() + interval '1 hour' + g * interval '1 millisecond' FROM generate_series(1, 5000) g", paused);
            sql(pool, "INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at) VALUES ($1, 'r1', 'a', 'all', "
                    + "'queued', now() + interval '1 day')", running);
            sql(pool, "ANALYZE send_queue");
            Instant inTwoDays = Instant.now().plus(2, ChronoUnit.DAYS);
            JsonArray plan = VertxContextSupport.subscribeAndAwait(() -> pool.withConnection(c -> c.begin().flatMap(tx -> c
                    .preparedQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + SendQueue.CLAIM).execute(Tuple.of(Campaigns.utc(inTwoDays), 20))
                    .map(rows -> (JsonArray) rows.iterator().next().getValue(0))
                    .call(tx::rollback))));
            long touched = sendQueueRows(plan.getJsonObject(0).getJsonObject("Plan"));
            assertThat(touched).as("send_queue rows read by the claim: %s", plan.encodePrettily()).isLessThan(500);
        } finally {
            sql(pool, "DELETE FROM campaign WHERE id IN ($1, $2)", paused, running);
        }
    }

    /**
     * A recipient that missed its send slot's second goes back at its place: its due time stays, so the next claim takes
     * it before the rows behind it (requeued as due now, it went out after all of them, alone in a last second, and the
     * campaign's rate fell short of the set one). Its due time is what tells: rows due in 2100 keep this service's own
     * sender away, so the order assertion alone would hold either way.
     */
    @Test
    void aLateRecipientIsClaimedFirstAgain() throws Throwable {
        String campaign = "claim-late-" + UUID.randomUUID();
        sql(pool, "INSERT INTO campaign (id, name, status, definition, created_at, updated_at, start_at, planned_at) VALUES "
                + "($1, 'late', 'running', '{}'::jsonb, now(), now(), now(), now())", campaign);
        try {
            // a second apart, in 2100 so that this service's own sender leaves them alone: the first was claimed and missed its second
            sql(pool, "INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at) SELECT $1, 'late' || g, 'a', 'all', "
                    + "'queued', timestamptz '2100-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, 5) g", campaign);
            long first = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("UPDATE send_queue SET status = 'sending', "
                    + "attempts = 1, claimed_at = now() WHERE campaign_id = $1 AND subject_id = 'late1' RETURNING id").execute(Tuple.of(campaign))
                    .map(rows -> rows.iterator().next().getLong("id")));

            // the second was late on a quick retry: its failed request was an attempt, which stays counted
            long retried = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("UPDATE send_queue SET status = 'sending', "
                    + "attempts = 2, claimed_at = now() WHERE campaign_id = $1 AND subject_id = 'late2' RETURNING id").execute(Tuple.of(campaign))
                    .map(rows -> rows.iterator().next().getLong("id")));

            VertxContextSupport.subscribeAndAwait(() -> queue.late(java.util.List.of(first, retried), java.util.List.of(retried)));
            int retriedAttempts = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT attempts FROM send_queue WHERE id = $1")
                    .execute(Tuple.of(retried)).map(rows -> rows.iterator().next().getInteger("attempts")));
            assertThat(retriedAttempts).isEqualTo(2);

            io.vertx.mutiny.sqlclient.Row row = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT status, attempts, "
                    + "due_at, error_title FROM send_queue WHERE id = $1").execute(Tuple.of(first)).map(rows -> rows.iterator().next()));
            assertThat(row.getString("status")).isEqualTo("queued");
            assertThat(row.getInteger("attempts")).as("missing a slot is no attempt").isZero();
            assertThat(row.getOffsetDateTime("due_at").toInstant()).isEqualTo(Instant.parse("2100-01-01T00:00:01Z"));
            assertThat(row.getString("error_title")).isEqualTo("late for its send slot");
            java.util.List<String> order = VertxContextSupport.subscribeAndAwait(() -> pool.withConnection(c -> c.begin().flatMap(tx -> c
                    .preparedQuery(SendQueue.CLAIM).execute(Tuple.of(Campaigns.utc(Instant.parse("2100-01-02T00:00:00Z")), 1000))
                    .map(rows -> {
                        java.util.List<String> ids = new java.util.ArrayList<>();
                        rows.forEach(r -> {
                            if (campaign.equals(r.getString("campaign_id"))) {
                                ids.add(r.getString("subject_id"));
                            }
                        });
                        return ids;
                    })
                    .call(tx::rollback))));
            assertThat(order).containsExactly("late1", "late2", "late3", "late4", "late5");
        } finally {
            sql(pool, "DELETE FROM campaign WHERE id = $1", campaign);
        }
    }

    /** Rows read from send_queue by every node of the plan (returned, times loops, plus those removed by a filter). */
    static long sendQueueRows(JsonObject node) {
        long rows = 0;
        if ("send_queue".equals(node.getString("Relation Name"))) {
            rows += node.getLong("Actual Rows", 0L) * node.getLong("Actual Loops", 1L) + node.getLong("Rows Removed by Filter", 0L);
        }
        for (Object child : node.getJsonArray("Plans", new JsonArray())) {
            rows += sendQueueRows((JsonObject) child);
        }
        return rows;
    }
}
