package io.sohbet.consent.iys;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.events.FieldCipher;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Uploads queued İYS records ({@link IysOutbound}) every {@code sohbet.consent.iys.sync-interval}: first polls the batch
 * requests still awaiting results (each item becomes {@code accepted} with its transaction id, or {@code refused} with
 * İYS's code and message), then claims due {@code pending} rows, oldest consent first and one per subject and channel at
 * a time (İYS must see a person's changes in order), and sends them as one asynchronous batch. A failed upload is retried
 * with backoff ({@code retry-backoff}: 1, 2, 4 … minutes, at most an hour) up to {@code max-attempts}, then left {@code failed}; rows whose
 * upload was cut short (a restart) return to {@code pending} after ten minutes. Upload is at least once: a record sent
 * twice is refused by İYS the second time (same status twice). Nothing personal is logged.
 */
@ApplicationScoped
public class IysSync {

    private static final Logger LOG = Logger.getLogger(IysSync.class);

    private final IysConfig config;
    private final IysClient client;
    private final Pool database;
    private final KeyVault keys;

    public IysSync(ConsentConfig config, IysClient client, Pool database, KeyVault keys) {
        this.config = config.iys();
        this.client = client;
        this.database = database;
        this.keys = keys;
    }

    void check(@Observes StartupEvent start) {
        if (!config.channels().isEmpty() && (config.username().isEmpty() || config.password().isEmpty()
                || config.iysCode().isEmpty() || config.brandCode().isEmpty())) {
            throw new IllegalStateException("sohbet.consent.iys.channels is set: sohbet.consent.iys.username, password, "
                    + "iys-code and brand-code are required (IYS_USERNAME, IYS_PASSWORD, IYS_CODE, IYS_BRAND_CODE)");
        }
        config.channels().forEach((channel, settings) -> {
            if (!List.of("MESAJ", "ARAMA", "EPOSTA").contains(settings.type())) {
                throw new IllegalStateException("sohbet.consent.iys.channels." + channel + ".type must be MESAJ, ARAMA or EPOSTA");
            }
        });
        if (config.batchSize() < 1 || config.batchSize() > 10_000) {
            throw new IllegalStateException("sohbet.consent.iys.batch-size must be 1..10000");
        }
    }

    @Scheduled(every = "${sohbet.consent.iys.sync-interval:1m}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return run().onFailure().recoverWithItem(e -> {
            LOG.warnf("İYS sync failed, next run in %s: %s", config.syncInterval(), e.getClass().getSimpleName());
            return null;
        });
    }

    /** One round: results of open batches, then an upload of due records, then the recovery of interrupted uploads. */
    public Uni<Void> run() {
        return pollResults().chain(this::upload).chain(this::recover);
    }

    Uni<Void> pollResults() {
        return database.query("SELECT DISTINCT request_id FROM iys_record WHERE state = 'sent'").execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(row -> row.getString(0))
                .onItem().transformToUniAndConcatenate(requestId -> client.batchResult(requestId)
                        .flatMap(items -> record(requestId, items))
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("the result of an İYS batch could not be read: %s", e.getClass().getSimpleName());
                            return null;
                        }))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> record(String requestId, List<IysClient.BatchItem> items) {
        List<Tuple> accepted = new ArrayList<>();
        List<Tuple> refused = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (IysClient.BatchItem item : items) {
            if ("success".equals(item.status())) {
                accepted.add(Tuple.of(requestId, item.index(), item.transactionId(), now));
            } else if ("failure".equals(item.status())) {
                refused.add(Tuple.of(requestId, item.index(), item.reason(), now));
            }
        }
        return database.withTransaction(tx -> (accepted.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery("UPDATE iys_record SET state = 'accepted', transaction_id = $3, reason = NULL, updated_at = $4 "
                        + "WHERE request_id = $1 AND item_index = $2 AND state = 'sent'").executeBatch(accepted).replaceWithVoid())
                .chain(() -> refused.isEmpty() ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("UPDATE iys_record SET state = 'refused', reason = $3, updated_at = $4 "
                                + "WHERE request_id = $1 AND item_index = $2 AND state = 'sent'").executeBatch(refused).replaceWithVoid()));
    }

    /** Claims and uploads one batch of due records. */
    Uni<Void> upload() {
        return database.withTransaction(tx -> tx.preparedQuery("UPDATE iys_record SET state = 'sending', updated_at = now() "
                        + "WHERE ledger_entry IN (SELECT r.ledger_entry FROM iys_record r WHERE r.state = 'pending' "
                        + "AND r.next_attempt_at <= now() AND NOT EXISTS (SELECT 1 FROM iys_record e WHERE e.subject_id = r.subject_id "
                        + "AND e.channel = r.channel AND e.state IN ('pending', 'sending', 'sent') AND (e.consent_date < r.consent_date "
                        + "OR (e.consent_date = r.consent_date AND e.ledger_entry < r.ledger_entry))) "
                        + "ORDER BY r.consent_date LIMIT $1 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING ledger_entry, subject_id, recipient, recipient_type, type, status, source, consent_date, attempts")
                .execute(Tuple.of(config.batchSize())))
                .flatMap(rows -> {
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    claimed.sort(java.util.Comparator.comparing((Row r) -> r.getOffsetDateTime("consent_date"))
                            .thenComparing(r -> r.getLong("ledger_entry")));
                    Set<String> subjects = new HashSet<>();
                    claimed.forEach(r -> subjects.add(r.getString("subject_id")));
                    return keys.find(subjects).flatMap(found -> {
                        List<IysConsent> consents = new ArrayList<>();
                        for (Row r : claimed) {
                            String subject = r.getString("subject_id");
                            consents.add(new IysConsent(FieldCipher.decrypt(found.get(subject), subject, r.getString("recipient")),
                                    r.getString("recipient_type"), r.getString("type"), r.getString("status"),
                                    r.getString("source"), IysConsent.date(r.getOffsetDateTime("consent_date").toInstant())));
                        }
                        return client.addBatch(consents);
                    }).flatMap(requestId -> sent(claimed, requestId))
                            .onFailure().recoverWithUni(e -> failed(claimed, e));
                });
    }

    private Uni<Void> sent(List<Row> claimed, String requestId) {
        List<Tuple> updates = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            updates.add(Tuple.of(claimed.get(i).getLong("ledger_entry"), requestId, i));
        }
        return database.preparedQuery("UPDATE iys_record SET state = 'sent', request_id = $2, item_index = $3, "
                + "attempts = attempts + 1, reason = NULL, updated_at = now() WHERE ledger_entry = $1").executeBatch(updates)
                .replaceWithVoid();
    }

    private Uni<Void> failed(List<Row> claimed, Throwable failure) {
        LOG.warnf("uploading %d İYS records failed: %s", claimed.size(), failure.getClass().getSimpleName());
        boolean refused = failure instanceof IysRefusedException;
        String reason = refused ? ((IysRefusedException) failure).reason() : failure.getClass().getSimpleName() + ": "
                + IysClient.masked(failure.getMessage());
        List<Tuple> updates = new ArrayList<>();
        Instant now = Instant.now();
        for (Row r : claimed) {
            int attempts = r.getInteger("attempts") + 1;
            String state = refused ? "refused" : attempts >= config.maxAttempts() ? "failed" : "pending";
            Duration backoff = config.retryBackoff().multipliedBy(1L << Math.min(6, attempts - 1));
            backoff = backoff.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : backoff;
            updates.add(Tuple.of(r.getLong("ledger_entry"), state, reason, attempts,
                    now.plus(backoff).atOffset(ZoneOffset.UTC)));
        }
        return database.preparedQuery("UPDATE iys_record SET state = $2, reason = $3, attempts = $4, next_attempt_at = $5, "
                + "updated_at = now() WHERE ledger_entry = $1").executeBatch(updates).replaceWithVoid();
    }

    private Uni<Void> recover() {
        return database.query("UPDATE iys_record SET state = 'pending', updated_at = now() "
                + "WHERE state = 'sending' AND updated_at < now() - interval '10 minutes'").execute().replaceWithVoid();
    }
}
