package io.sohbet.campaign.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionInterval;
import io.sohbet.kit.privacy.DestructionOutbox;
import io.sohbet.kit.privacy.RetentionRun;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.sohbet.campaign.service.Campaigns.utc;

/**
 * The retention rule of campaign-service ({@code sohbet.campaign.retention.*}): the send queue's rows of a campaign
 * that ended ({@code completed} or {@code cancelled}: a campaign has no other final state) longer than {@code
 * send-queue} (90 days) ago are deleted, {@code batch} per transaction until a transaction deletes fewer. A scheduled,
 * running or paused campaign's rows are never touched, and neither is a row whose {@code campaign.message} housekeeping
 * is still to republish (a message id, sent, not published: {@code CampaignMessages#republish}). In the deleting
 * statement each row is counted into {@code send_tally} (recipients per progress state, hold-out or not, quarter hour
 * due), so the campaign's progress and planned send times stay what they were ({@link Campaigns#progress}, {@link
 * PlannedSendTimes}). The period is at least the longest frequency cap (90 days, {@code CampaignDefinition}) and the
 * default cap's period: a message counted by a cap is never deleted while the cap can see it.
 * <p>Runs on {@code sohbet.campaign.retention.cron} (checked at startup against the KVKK destruction regulation's
 * longest interval, {@link DestructionInterval}) under the kit's {@link RetentionRun}: each transaction takes an
 * advisory lock first and stops the run when another replica holds it, and each transaction that deleted anything
 * writes one {@code privacy.destruction} event into the outbox ({@link DestructionOutbox}): consent-service records it
 * once. The erasure deletes a person's rows whatever their campaign's state; this rule only bounds the rest.
 */
@ApplicationScoped
public class SendQueueRetention {

    private static final Logger LOG = Logger.getLogger(SendQueueRetention.class);

    /** The key of the advisory lock of a retention transaction. */
    static final long RETENTION_LOCK = 0xca3_0012L;
    static final String CRON_SETTING = "sohbet.campaign.retention.cron";
    static final String EXEMPT_SETTING = "sohbet.campaign.retention.verbis-exempt";
    static final String RULE_SETTING = "sohbet.campaign.retention.send-queue";
    /** The longest frequency cap a campaign may set ({@code CampaignDefinition}: PT1H to P90D). */
    static final Duration LONGEST_CAP = Duration.ofDays(90);

    /**
     * One batch: rows of campaigns that ended before $1, oldest first, at most $2, deleted and counted into the
     * tally in one statement; the number deleted.
     */
    static final String BATCH = "WITH d AS (DELETE FROM send_queue WHERE id IN (SELECT q.id FROM campaign c JOIN send_queue q "
            + "ON q.campaign_id = c.id WHERE c.status IN ('completed', 'cancelled') AND c.finished_at < $1 "
            + "AND NOT (q.wamid IS NOT NULL AND NOT q.published AND q.sent_at IS NOT NULL) ORDER BY c.finished_at, q.id LIMIT $2 FOR UPDATE OF q SKIP LOCKED) "
            + "RETURNING campaign_id, " + Campaigns.STATE + " AS state, phase = 'holdout' AS holdout, "
            + "date_bin('15 minutes', due_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS due_quarter), "
            + "t AS (INSERT INTO send_tally (campaign_id, state, holdout, due_quarter, counted) "
            + "SELECT campaign_id, state, holdout, due_quarter, count(*) FROM d GROUP BY 1, 2, 3, 4 "
            + "ON CONFLICT (campaign_id, state, holdout, due_quarter) DO UPDATE SET counted = send_tally.counted + EXCLUDED.counted) "
            + "SELECT count(*) AS n FROM d";

    private final Pool database;
    private final CampaignConfig config;

    public SendQueueRetention(Pool database, CampaignConfig config) {
        this.database = database;
        this.config = config;
    }

    void onStart(@Observes StartupEvent started) {
        CampaignConfig.Retention r = config.retention();
        DestructionInterval.require(CRON_SETTING, EXEMPT_SETTING, r.cron(), r.verbisExempt());
        problem(r.sendQueue(), config.frequencyCap().period(), r.batch()).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    /** Why the period (or batch) cannot be used with the frequency caps; empty when it can. */
    static Optional<String> problem(Duration sendQueue, Duration defaultCap, int batch) {
        Duration floor = defaultCap.compareTo(LONGEST_CAP) > 0 ? defaultCap : LONGEST_CAP;
        if (sendQueue.compareTo(floor) < 0) {
            return Optional.of(RULE_SETTING + " must be at least " + floor + " (the longest frequency cap a campaign may set, "
                    + "90 days, and sohbet.campaign.frequency-cap.period): a cap must still see every message it counts, not "
                    + sendQueue);
        }
        if (batch < 1) {
            return Optional.of("sohbet.campaign.retention.batch must be at least 1, not " + batch);
        }
        return Optional.empty();
    }

    @Scheduled(cron = "${sohbet.campaign.retention.cron:0 0 4 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return run(Instant.now()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("send queue retention run failed, the next run retries: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Deletes the rows of every campaign that ended longer than the period before {@code now}; the number deleted. */
    public Uni<Long> run(Instant now) {
        String run = UUID.randomUUID().toString();
        int batch = config.retention().batch();
        return RetentionRun.run(database, RETENTION_LOCK, run, (tx, runId) -> batch(tx, now, runId), 0L, deleted -> deleted == batch)
                .map(batches -> batches.stream().mapToLong(Long::longValue).sum())
                .invoke(deleted -> LOG.logf(deleted > 0 ? Logger.Level.INFO : Logger.Level.DEBUG,
                        "send queue retention run %s: %d rows of ended campaigns deleted", run, deleted));
    }

    private Uni<Long> batch(SqlConnection tx, Instant now, String runId) {
        return tx.preparedQuery(BATCH).execute(Tuple.of(utc(now.minus(config.retention().sendQueue())), config.retention().batch()))
                .map(rows -> rows.iterator().next().getLong("n"))
                .call(deleted -> DestructionOutbox.write(tx, config.serviceName(), runId, now, List.of(new PrivacyDestruction.Entry(
                        "send_queue", "Kimlik, Müşteri İşlem, Pazarlama, Lokasyon", deleted, PrivacyDestruction.DELETION,
                        "per-recipient rows (subject id, message id hash, times, errors, time zone) of campaigns ended longer ago "
                                + "than the period deleted; counts per state and quarter hour kept on the campaign (send_tally)",
                        DestructionOutbox.byRule(RULE_SETTING, config.retention().sendQueue())))));
    }
}
