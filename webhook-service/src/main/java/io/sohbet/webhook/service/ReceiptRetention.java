package io.sohbet.webhook.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionInterval;
import io.sohbet.kit.privacy.DestructionOutbox;
import io.sohbet.kit.privacy.RetentionRun;
import io.sohbet.webhook.config.WebhookConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The retention rule of webhook-service ({@code sohbet.webhook.retention.*}): receipts of shop webhooks
 * ({@code commerce_receipt}: the hashed shop event id and a keyed fingerprint of the body, kept so that the shop's
 * retries are answered as duplicates) received longer than {@code commerce-receipts} (14 days) ago are deleted, oldest
 * first, {@code batch} per transaction until a transaction deletes fewer. A shop event delivered again after its receipt
 * is gone is taken as new: published again under the same event id ({@code commerce:sid_…}), which the consumers
 * deduplicate (their processed events, orders by id); a different body under that id is no longer a conflict.
 * <p>Runs on {@code sohbet.webhook.retention.cron} (checked at startup against the KVKK destruction regulation's
 * longest interval, {@link DestructionInterval}) under the kit's {@link RetentionRun}: each transaction takes an
 * advisory lock first and stops the run when another replica holds it, and each transaction that deleted anything
 * writes one {@code privacy.destruction} event into the outbox ({@link DestructionOutbox}), which
 * {@code messaging/OutboxRelay} publishes: consent-service records it once.
 */
@ApplicationScoped
public class ReceiptRetention {

    private static final Logger LOG = Logger.getLogger(ReceiptRetention.class);

    /** The key of the advisory lock of a retention transaction. */
    static final long RETENTION_LOCK = 0xeb0_0012L;
    static final String CRON_SETTING = "sohbet.webhook.retention.cron";
    static final String EXEMPT_SETTING = "sohbet.webhook.retention.verbis-exempt";
    static final String RULE_SETTING = "sohbet.webhook.retention.commerce-receipts";
    /** The shortest period: Meta's retry window, the yardstick of webhook redeliveries here. */
    static final Duration REDELIVERY_WINDOW = Duration.ofDays(7);

    static final String BATCH = "DELETE FROM commerce_receipt WHERE shop_event_id IN (SELECT shop_event_id FROM commerce_receipt "
            + "WHERE received_at < $1 ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)";

    private final Pool database;
    private final WebhookConfig config;

    public ReceiptRetention(Pool database, WebhookConfig config) {
        this.database = database;
        this.config = config;
    }

    void onStart(@Observes StartupEvent started) {
        WebhookConfig.Retention r = config.retention();
        DestructionInterval.require(CRON_SETTING, EXEMPT_SETTING, r.cron(), r.verbisExempt());
        problem(r.commerceReceipts(), r.batch()).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    /** Why the period or the batch cannot be used; empty when they can. */
    static Optional<String> problem(Duration commerceReceipts, int batch) {
        if (commerceReceipts.compareTo(REDELIVERY_WINDOW) < 0) {
            return Optional.of(RULE_SETTING + " must be at least 7 days (the redelivery window of webhooks: a shop's retry "
                    + "within it must find its receipt), not " + commerceReceipts);
        }
        if (batch < 1) {
            return Optional.of("sohbet.webhook.retention.batch must be at least 1, not " + batch);
        }
        return Optional.empty();
    }

    @Scheduled(cron = "${sohbet.webhook.retention.cron:0 10 4 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return run(Instant.now()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("receipt retention run failed, the next run retries: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Deletes every receipt received longer than the period before {@code now}; the number deleted. */
    public Uni<Long> run(Instant now) {
        String run = UUID.randomUUID().toString();
        int batch = config.retention().batch();
        return RetentionRun.run(database, RETENTION_LOCK, run, (tx, runId) -> batch(tx, now, runId), 0L, deleted -> deleted == batch)
                .map(batches -> batches.stream().mapToLong(Long::longValue).sum())
                .invoke(deleted -> LOG.logf(deleted > 0 ? Logger.Level.INFO : Logger.Level.DEBUG,
                        "receipt retention run %s: %d shop-webhook receipts deleted", run, deleted));
    }

    private Uni<Long> batch(SqlConnection tx, Instant now, String runId) {
        Duration period = config.retention().commerceReceipts();
        return tx.preparedQuery(BATCH).execute(Tuple.of(now.minus(period).atOffset(ZoneOffset.UTC), config.retention().batch()))
                .map(RowSet::rowCount).map(Long::valueOf)
                .call(deleted -> DestructionOutbox.write(tx, WebhookSubjectData.SERVICE, runId, now, List.of(new PrivacyDestruction.Entry(
                        "commerce_receipt", "Müşteri İşlem", deleted, PrivacyDestruction.DELETION,
                        "shop-webhook receipts (hashed shop event id, body fingerprint) received longer ago than the period deleted",
                        DestructionOutbox.byRule(RULE_SETTING, period)))));
    }
}
