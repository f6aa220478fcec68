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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
    private final CampaignConfig config;

    public Housekeeping(Pool database, Campaigns campaigns, Planner planner, @RestClient MetricsApi metrics, ServiceTokens tokens,
            CampaignMessages messages, CampaignConfig config) {
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
        Campaign next;
        while ((next = claimPlanning().await().atMost(Duration.ofSeconds(30))) != null) {
            try {
                planner.plan(next);
            } catch (RuntimeException e) {
                LOG.errorf("planning campaign %s failed (%s: %s); retried after the planning timeout", next.id(),
                        e.getClass().getSimpleName(), e.getMessage());
                return;
            }
        }
    }

    /** A scheduled campaign that is due, or one whose planner died: now running, planning claimed by this replica. */
    Uni<Campaign> claimPlanning() {
        Instant now = Instant.now();
        return database.preparedQuery("UPDATE campaign SET status = CASE WHEN status = 'scheduled' THEN 'running' ELSE status END, "
                        + "planning_started_at = $1, updated_at = $1 WHERE id = (SELECT id FROM campaign WHERE "
                        + "(status = 'scheduled' AND start_at <= $1) OR (status IN ('running', 'paused') AND planned_at IS NULL "
                        + "AND planning_started_at < $2) ORDER BY start_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id")
                .execute(Tuple.of(utc(now), utc(now.minus(config.planning().timeout()))))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().nullItem() : campaigns.find(rows.iterator().next().getString("id")));
    }

    @Scheduled(every = "${sohbet.campaign.housekeeping.every:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        Instant now = Instant.now();
        return messages.flush()
                .chain(() -> database.preparedQuery("UPDATE send_queue SET status = 'unconfirmed', error_title = 'the worker stopped "
                        + "before the outcome was known; not resent (at most once)' WHERE status = 'sending' AND claimed_at < $1")
                        .execute(Tuple.of(utc(now.minus(config.sending().unconfirmedAfter())))))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.warnf("%d recipients were being sent to by a worker that stopped; marked unconfirmed", rows.rowCount());
                    }
                })
                .chain(() -> messages.republish(now.minusSeconds(30)))
                .chain(() -> decideWinners(now))
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

    /** Campaigns whose test phase is over: the winner (or fallback) goes to the waiting rest of the audience. */
    Uni<Void> decideWinners(Instant now) {
        return database.preparedQuery("SELECT id FROM campaign WHERE status IN ('running', 'paused') AND planned_at IS NOT NULL "
                        + "AND test_ends_at <= $1 AND winner_decided_at IS NULL").execute(Tuple.of(utc(now)))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        String id = r.getString("id");
                        chain = chain.chain(() -> decideWinner(id, now));
                    }
                    return chain;
                });
    }

    Uni<Void> decideWinner(String campaignId, Instant now) {
        return campaigns.definition(campaignId).flatMap(d -> tokens.authorization()
                .flatMap(auth -> metrics.campaign(auth, campaignId, d.abTest().metricOrDefault()))
                .map(m -> choose(d, m.abTest()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("A/B outcome of campaign %s unavailable (%s); using its fallback", campaignId, e.getClass().getSimpleName());
                    return choose(d, null);
                })
                .flatMap(decision -> rollOut(campaignId, d, decision, now)));
    }

    /** The winner: significant at metrics-service, otherwise the campaign's fallback. */
    public record Decision(String winner, String reason) {
    }

    static Decision choose(CampaignDefinition d, MetricsApi.AbTest test) {
        if (test != null && test.winner() != null) {
            return new Decision(test.winner(), String.format("significant on %s (p = %.4f)", test.metric(), test.pValue()));
        }
        String fallback = d.abTest().fallbackOrDefault();
        if (fallback.equals("split")) {
            return new Decision(null, "no significant winner: the rest keeps the variant weights");
        }
        if (fallback.equals("leading") && test != null && test.variants() != null) {
            MetricsApi.Arm leading = test.variants().stream().filter(a -> a.trials() > 0 && d.variants().stream().anyMatch(v -> v.id().equals(a.variant())))
                    .max(Comparator.comparingDouble((MetricsApi.Arm a) -> (double) a.successes() / a.trials())).orElse(null);
            if (leading != null) {
                return new Decision(leading.variant(), "no significant winner: the leading variant on " + test.metric());
            }
        }
        return new Decision(d.variants().get(0).id(), "no significant winner and no usable results: the first variant");
    }

    Uni<Void> rollOut(String campaignId, CampaignDefinition d, Decision decision, Instant now) {
        return database.withTransaction(c -> c.preparedQuery("UPDATE campaign SET winner = $2, winner_reason = $3, winner_decided_at = $4, "
                        + "updated_at = $4 WHERE id = $1 AND winner_decided_at IS NULL")
                .execute(Tuple.of(campaignId, decision.winner(), decision.reason(), utc(now)))
                .flatMap(updated -> {
                    if (updated.rowCount() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    if (decision.winner() != null) {
                        return c.preparedQuery("UPDATE send_queue SET variant = $2, status = 'queued' WHERE campaign_id = $1 AND status = 'waiting'")
                                .execute(Tuple.of(campaignId, decision.winner())).replaceWithVoid();
                    }
                    return c.preparedQuery("SELECT id, subject_id FROM send_queue WHERE campaign_id = $1 AND status = 'waiting'")
                            .execute(Tuple.of(campaignId)).flatMap(rows -> {
                                List<Long> ids = new ArrayList<>();
                                List<String> variants = new ArrayList<>();
                                rows.forEach(r -> {
                                    ids.add(r.getLong("id"));
                                    variants.add(Bucketing.variant(campaignId, r.getString("subject_id"), d.variants()));
                                });
                                return c.preparedQuery("UPDATE send_queue q SET variant = t.v, status = 'queued' FROM unnest($1::bigint[], "
                                                + "$2::text[]) AS t(id, v) WHERE q.id = t.id")
                                        .execute(Tuple.of(ids.toArray(Long[]::new), variants.toArray(String[]::new))).replaceWithVoid();
                            });
                }))
                .invoke(() -> LOG.infof("campaign %s A/B test decided: %s (%s)", campaignId,
                        decision.winner() == null ? "split" : decision.winner(), decision.reason()));
    }
}
