package io.sohbet.campaign.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.MetricsApi;
import io.sohbet.kit.ServiceTokens;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.messaging.CampaignMessages;
import io.sohbet.campaign.service.Campaigns.Campaign;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

import static io.sohbet.campaign.service.Campaigns.utc;

/**
 * The campaign lifecycle's clock, run by every replica (each step claims its work, so replicas do not collide):
 * starts due campaigns and plans them, decides A/B winners when test phases end, completes campaigns with nobody
 * left to message, turns sends whose worker died into {@code unconfirmed}, and republishes {@code campaign.message}
 * events a crash kept from Kafka.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final Pool database;
    private final Campaigns campaigns;
    private final Planner planner;
    private final MetricsApi metrics;
    private final ServiceTokens tokens;
    private final CampaignMessages messages;
    private final CustomerWindows windows;
    private final CampaignConfig config;

    public Housekeeping(Pool database, Campaigns campaigns, Planner planner, @RestClient MetricsApi metrics, ServiceTokens tokens,
            CampaignMessages messages, CustomerWindows windows, CampaignConfig config) {
        this.windows = windows;
        this.database = database;
        this.campaigns = campaigns;
        this.planner = planner;
        this.metrics = metrics;
        this.tokens = tokens;
        this.config = config;
        this.messages = messages;
    }

    /** Starts and plans every campaign whose time has come (one at a time per replica). */
    @Scheduled(every = "${sohbet.campaign.planning.every:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void startDueCampaigns() {
        PlanningClaim next;
        while ((next = claimPlanning().await().atMost(Duration.ofSeconds(30))) != null) {
            try {
                planner.plan(next.campaign(), next.generation());
            } catch (Planner.Superseded e) {
                LOG.warnf("planning campaign %s was taken over by another replica (this one stalled past the planning timeout); "
                        + "it wrote nothing more", next.campaign().id());
            } catch (RuntimeException e) {
                LOG.errorf("planning campaign %s failed (%s: %s); retried after the planning timeout", next.campaign().id(),
                        e.getClass().getSimpleName(), e.getMessage());
                return;
            }
        }
    }

    /** A campaign whose planning this replica claimed, and the generation (fencing token) the claim took. */
    record PlanningClaim(Campaign campaign, long generation) {
    }

    /**
     * A scheduled campaign that is due, one paused before it started that was resumed (or is still paused: it is
     * planned, not sent), or one whose planner stopped renewing its claim: now running (if it was scheduled), its
     * planning claimed by this replica under the next generation.
     */
    Uni<PlanningClaim> claimPlanning() {
        Instant now = Instant.now();
        return database.preparedQuery("UPDATE campaign SET status = CASE WHEN status = 'scheduled' THEN 'running' ELSE status END, "
                        + "planning_started_at = $1, planning_generation = planning_generation + 1, updated_at = $1 "
                        + "WHERE id = (SELECT id FROM campaign WHERE (status = 'scheduled' AND start_at <= $1) OR (status IN "
                        + "('running', 'paused') AND planned_at IS NULL AND start_at <= $1 AND (planning_started_at IS NULL "
                        + "OR planning_started_at < $2)) ORDER BY start_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, planning_generation")
                .execute(Tuple.of(utc(now), utc(now.minus(config.planning().timeout()))))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    long generation = row.getLong("planning_generation");
                    return campaigns.find(row.getString("id")).map(c -> new PlanningClaim(c, generation));
                });
    }

    @Scheduled(every = "${sohbet.campaign.housekeeping.every:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        Instant now = Instant.now();
        return messages.flush()
                // unconfirmed may have reached the recipient: the messaging tier counts them
                .chain(() -> database.preparedQuery("WITH s AS (UPDATE send_queue SET status = 'unconfirmed', error_code = NULL, error_title = 'the "
                        + "worker stopped before the outcome was known; not resent (at most once)' WHERE status = 'sending' "
                        + "AND claimed_at < $1 RETURNING subject_id, claimed_at AS at), w AS (" + SendQueue.WINDOW_UPSERT
                        + " RETURNING 1) SELECT count(*) AS n FROM s")
                        .execute(Tuple.of(utc(now.minus(config.sending().unconfirmedAfter())))))
                .invoke(rows -> {
                    long n = rows.iterator().next().getLong("n");
                    if (n > 0) {
                        LOG.warnf("%d recipients were being sent to by a worker that stopped; marked unconfirmed", n);
                    }
                })
                .chain(() -> messages.republish(now.minusSeconds(30)))
                .chain(() -> decideWinners(now))
                .chain(() -> rollOuts())
                .chain(() -> windows.purge(now))
                .chain(() -> database.preparedQuery("UPDATE campaign c SET status = 'completed', finished_at = $1, updated_at = $1 "
                        + "WHERE status = 'running' AND planned_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM send_queue q "
                        + "WHERE q.campaign_id = c.id AND q.status IN ('waiting', 'queued', 'deferred', 'sending'))")
                        .execute(Tuple.of(utc(now))))
                .chain(() -> database.preparedQuery("DELETE FROM recipient_window WHERE last_sent_at < $1")
                        .execute(Tuple.of(utc(now.minus(Duration.ofHours(25))))))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("housekeeping failed (%s); next tick retries", e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Campaigns whose test phase is over: the winner (or fallback) is decided and goes to the waiting rest of the
     * audience. While metrics-service cannot be reached the rest keeps waiting and the outcome is asked again every
     * tick, for {@code ab-tests.decision-wait} after the test phase ended; then the campaign's fallback is used without
     * results, and the reason says so.
     */
    Uni<Void> decideWinners(Instant now) {
        return database.preparedQuery("SELECT id, test_ends_at FROM campaign WHERE status IN ('running', 'paused') "
                        + "AND planned_at IS NOT NULL AND test_ends_at <= $1 AND winner_decided_at IS NULL").execute(Tuple.of(utc(now)))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        String id = r.getString("id");
                        Instant ended = r.getOffsetDateTime("test_ends_at").toInstant();
                        chain = chain.chain(() -> decideWinner(id, ended, now));
                    }
                    return chain;
                });
    }

    Uni<Void> decideWinner(String campaignId, Instant testEnded, Instant now) {
        Instant giveUpAt = testEnded.plus(config.abTests().decisionWait());
        return campaigns.definition(campaignId).flatMap(d -> tokens.authorization()
                .flatMap(auth -> metrics.campaign(auth, campaignId, d.abTest().metricOrDefault()))
                .map(m -> choose(d, m.abTest(), null))
                .onFailure().recoverWithItem(e -> now.isBefore(giveUpAt) ? null
                        : choose(d, null, "metrics-service unreachable for " + config.abTests().decisionWait() + " after the test phase ("
                                + e.getClass().getSimpleName() + ")"))
                .flatMap(decision -> decision == null ? hold(campaignId, giveUpAt) : record(campaignId, decision, now)
                        .chain(() -> rollOut(campaignId))));
    }

    /** The decision waits: the rest stays waiting, and the campaign says why and until when. */
    Uni<Void> hold(String campaignId, Instant giveUpAt) {
        String note = "waiting for metrics-service (unreachable) to decide the A/B test; the rest of the audience waits until "
                + giveUpAt + ", then the fallback is used";
        return database.preparedQuery("UPDATE campaign SET winner_reason = $2 WHERE id = $1 AND winner_decided_at IS NULL "
                        + "AND winner_reason IS DISTINCT FROM $2").execute(Tuple.of(campaignId, note))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.warnf("A/B outcome of campaign %s unavailable: the roll-out waits until %s", campaignId, giveUpAt);
                    }
                })
                .replaceWithVoid();
    }

    /** The winner: significant at metrics-service (and one of the campaign's variants), otherwise the campaign's fallback. */
    public record Decision(String winner, String reason) {
    }

    /**
     * @param test        metrics-service's A/B test, null when it had none or could not be asked
     * @param unreachable why metrics-service's answer is missing, when it could not be reached
     */
    static Decision choose(CampaignDefinition d, MetricsApi.AbTest answer, String unreachable) {
        String prefix = unreachable == null ? "" : unreachable + "; ";
        MetricsApi.AbTest test = answer;
        if (answer != null && answer.winner() != null) {
            if (d.variants().stream().anyMatch(v -> v.id().equals(answer.winner()))) {
                return new Decision(answer.winner(), String.format(java.util.Locale.ROOT, "significant on %s (p = %.4f)", answer.metric(),
                        answer.pValue()));
            }
            prefix = "metrics-service named winner '" + abbreviate(answer.winner()) + "', which is not a variant of this campaign; ";
            test = new MetricsApi.AbTest(answer.metric(), answer.variants(), answer.pValue(), false, answer.enoughSample(), null);
        }
        String fallback = d.abTest().fallbackOrDefault();
        if (fallback.equals("split")) {
            return new Decision(null, prefix + "no significant winner: the rest keeps the variant weights");
        }
        if (fallback.equals("leading") && test != null && test.variants() != null) {
            String metric = test.metric();
            MetricsApi.Arm leading = test.variants().stream().filter(a -> a.trials() > 0 && d.variants().stream().anyMatch(v -> v.id().equals(a.variant())))
                    .max(Comparator.comparingDouble((MetricsApi.Arm a) -> (double) a.successes() / a.trials())).orElse(null);
            if (leading != null) {
                return new Decision(leading.variant(), prefix + "no significant winner: the leading variant on " + metric);
            }
        }
        return new Decision(d.variants().get(0).id(), prefix + "no significant winner and no usable results: the first variant");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** Records the decision once (another replica may have decided first). */
    Uni<Void> record(String campaignId, Decision decision, Instant now) {
        return database.preparedQuery("UPDATE campaign SET winner = $2, winner_reason = $3, winner_decided_at = $4, updated_at = $4 "
                        + "WHERE id = $1 AND winner_decided_at IS NULL")
                .execute(Tuple.of(campaignId, decision.winner(), truncate(decision.reason()), utc(now)))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("campaign %s A/B test decided: %s (%s)", campaignId, decision.winner() == null ? "split" : decision.winner(),
                                decision.reason());
                    }
                })
                .replaceWithVoid();
    }

    /** Decided campaigns whose rest is not fully rolled out yet (a roll-out cut short by a crash goes on here). */
    Uni<Void> rollOuts() {
        return database.preparedQuery("SELECT id FROM campaign WHERE winner_decided_at IS NOT NULL AND rolled_out_at IS NULL "
                        + "AND status IN ('running', 'paused')").execute()
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        String id = r.getString("id");
                        chain = chain.chain(() -> rollOut(id));
                    }
                    return chain;
                });
    }

    /**
     * Gives the waiting rest of a decided campaign its variant and queues it, in batches (each its own statement and
     * transaction, {@code SKIP LOCKED} so replicas share the work): the winner, or for a split each row's weighted
     * variant, worked out in SQL exactly as {@link Bucketing#variant} does — no row is loaded into this service.
     */
    Uni<Void> rollOut(String campaignId) {
        return database.preparedQuery("SELECT winner, winner_decided_at FROM campaign WHERE id = $1").execute(Tuple.of(campaignId))
                .flatMap(rows -> {
                    if (rows.size() == 0 || rows.iterator().next().getValue("winner_decided_at") == null) {
                        return Uni.createFrom().voidItem();
                    }
                    String winner = rows.iterator().next().getString("winner");
                    return campaigns.definition(campaignId).flatMap(d -> rollOutBatches(campaignId, winner, d, 0));
                });
    }

    private Uni<Void> rollOutBatches(String campaignId, String winner, CampaignDefinition d, long done) {
        int batch = Math.max(1, config.abTests().rollOutBatch());
        Uni<RowSet<Row>> step = winner != null
                ? database.preparedQuery("UPDATE send_queue SET variant = $2, status = 'queued' WHERE id IN (SELECT id FROM send_queue "
                        + "WHERE campaign_id = $1 AND status = 'waiting' LIMIT $3 FOR UPDATE SKIP LOCKED)").execute(Tuple.of(campaignId, winner, batch))
                : database.preparedQuery("UPDATE send_queue q SET variant = " + SPLIT_VARIANT + ", status = 'queued' WHERE q.id IN "
                        + "(SELECT id FROM send_queue WHERE campaign_id = $1 AND status = 'waiting' LIMIT $4 FOR UPDATE SKIP LOCKED)")
                        .execute(splitArguments(campaignId, d).addValue(batch));
        return step.flatMap(rows -> {
            if (rows.rowCount() > 0) {
                return rollOutBatches(campaignId, winner, d, done + rows.rowCount());
            }
            return database.preparedQuery("UPDATE campaign c SET rolled_out_at = $2 WHERE id = $1 AND rolled_out_at IS NULL AND NOT EXISTS "
                            + "(SELECT 1 FROM send_queue q WHERE q.campaign_id = $1 AND q.status = 'waiting')")
                    .execute(Tuple.of(campaignId, utc(Instant.now())))
                    .invoke(r -> {
                        if (done > 0) {
                            LOG.infof("campaign %s: %d waiting recipients queued with their variant", campaignId, done);
                        }
                    })
                    .replaceWithVoid();
        });
    }

    /**
     * {@link Bucketing#variant} in SQL for row {@code q}: the first 8 bytes of SHA-256("variant\n" campaign "\n"
     * subject) as an unsigned number shifted right by 11 (53 bits), over 2^53 — the same double — times the total
     * weight, against the cumulative weights; $1 campaign id, $2 variant ids, $3 cumulative weights (double).
     */
    static final String SPLIT_VARIANT = "COALESCE((SELECT t.v FROM unnest($2::text[], $3::float8[]) WITH ORDINALITY AS t(v, c, i) "
            + "WHERE ((('x' || encode(substring(sha256(convert_to('variant' || chr(10) || $1 || chr(10) || q.subject_id, 'UTF8')) "
            + "FROM 1 FOR 8), 'hex'))::bit(64)::bigint >> 11) & 9007199254740991)::float8 / 9007199254740992::float8 "
            + "* ($3::float8[])[array_length($3::float8[], 1)] < t.c ORDER BY t.i LIMIT 1), ($2::text[])[array_length($2::text[], 1)])";

    /** $1..$3 of {@link #SPLIT_VARIANT} for a campaign. */
    static Tuple splitArguments(String campaignId, CampaignDefinition d) {
        String[] ids = d.variants().stream().map(CampaignDefinition.Variant::id).toArray(String[]::new);
        Double[] cumulative = new Double[ids.length];
        double sum = 0;
        for (int i = 0; i < ids.length; i++) {
            sum += d.variants().get(i).weightOrOne();
            cumulative[i] = sum;
        }
        return Tuple.of(campaignId, ids, cumulative);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }
}
