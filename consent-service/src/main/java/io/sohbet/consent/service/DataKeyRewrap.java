package io.sohbet.consent.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finishes a master-key rotation: re-wraps every data key still wrapped by a previous master key to the active one, in
 * the background, so that the previous key can be removed. The data keys themselves do not change (nothing sealed
 * with them is touched). Keys are taken one previous master key at a time, in subject order, a batch per transaction
 * claimed with {@code FOR UPDATE SKIP LOCKED}: replicas share the work without waiting for each other, an erasure
 * that deletes a key waits for the batch holding it (or the batch skips the deleted key), and a batch re-wraps only
 * keys still under the key it read them with, so running it again, or on several replicas, changes nothing twice.
 * Keys under a next master key ({@link MasterKeys}) are never touched. Progress: the gauge
 * {@code sohbet_consent_data_keys{master_key_id}} (the same figure on every replica) and the counters
 * {@code sohbet_consent_data_keys_rewrapped_total{from}} and {@code sohbet_consent_data_keys_rewrap_failed_total{from}}
 * (a key its configured master key cannot open; left as it is and logged by count).
 */
@ApplicationScoped
public class DataKeyRewrap {

    private static final Logger LOG = Logger.getLogger(DataKeyRewrap.class);

    private final Pool database;
    private final MasterKeys masterKeys;
    private final int batchSize;
    private final MeterRegistry registry;
    private final MultiGauge dataKeys;
    private final Set<String> reportedUnknown = ConcurrentHashMap.newKeySet();

    @Inject
    public DataKeyRewrap(Pool database, KeyVault vault, ConsentConfig config, MeterRegistry registry) {
        this(database, vault.masterKeys(), config.keyRewrap().batchSize(), registry);
    }

    /** A re-wrap over {@code database} with these master keys (a replica's configuration; tests of rotations). */
    public DataKeyRewrap(Pool database, MasterKeys masterKeys, int batchSize, MeterRegistry registry) {
        this.database = database;
        this.masterKeys = masterKeys;
        this.batchSize = batchSize;
        this.registry = registry;
        this.dataKeys = MultiGauge.builder("sohbet.consent.data.keys")
                .description("Subjects' data keys by the master key that wraps them").register(registry);
    }

    /** What one run did: keys re-wrapped, and keys left because their master key could not open them. */
    public record Run(long rewrapped, long failed) {
    }

    @Scheduled(every = "${sohbet.consent.key-rewrap.interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (masterKeys.previous().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return rewrapAll().invoke(run -> {
                    if (run.rewrapped() > 0 || run.failed() > 0) {
                        LOG.infof("data keys re-wrapped to master key '%s': %d; left (cannot be opened): %d",
                                masterKeys.activeId(), run.rewrapped(), run.failed());
                    }
                }).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("re-wrapping data keys failed, the next run goes on: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    @Scheduled(every = "${sohbet.consent.key-rewrap.count-interval:60s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledCount() {
        return count().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("counting data keys failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Re-wraps every data key of every previous master key to the active one, batch after batch, until none is left. */
    public Uni<Run> rewrapAll() {
        return Multi.createFrom().iterable(List.copyOf(masterKeys.previous()))
                .onItem().transformToUniAndConcatenate(this::rewrapFrom)
                .collect().in(() -> new long[2], (sum, run) -> {
                    sum[0] += run.rewrapped();
                    sum[1] += run.failed();
                })
                .map(sum -> new Run(sum[0], sum[1]));
    }

    /** The data keys per master key id, as stored now; also published as the gauge. */
    public Uni<Map<String, Long>> count() {
        return database.query("SELECT master_key_id, count(*) AS keys FROM subject_key GROUP BY master_key_id ORDER BY master_key_id")
                .execute().map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (Row row : rows) {
                        counts.put(row.getString("master_key_id"), row.getLong("keys"));
                    }
                    List<MultiGauge.Row<?>> gauge = new ArrayList<>();
                    counts.forEach((id, keys) -> gauge.add(MultiGauge.Row.of(Tags.of("master_key_id", id), keys)));
                    dataKeys.register(gauge, true);
                    counts.forEach((id, keys) -> {
                        if (!masterKeys.knows(id) && reportedUnknown.add(id)) {
                            LOG.errorf("%d data keys are wrapped by master key '%s', which is not configured: they cannot be opened",
                                    keys, id);
                        }
                    });
                    return counts;
                });
    }

    /** One previous master key's keys, walked in subject order. */
    private Uni<Run> rewrapFrom(String fromId) {
        Cursor cursor = new Cursor();
        return Multi.createBy().repeating().uni(() -> cursor, c -> batch(fromId, c)).whilst(Batch::full)
                .collect().in(() -> new long[2], (sum, batch) -> {
                    sum[0] += batch.rewrapped();
                    sum[1] += batch.failed();
                })
                .map(sum -> new Run(sum[0], sum[1]))
                .invoke(run -> {
                    registry.counter("sohbet.consent.data.keys.rewrapped", "from", fromId).increment(run.rewrapped());
                    registry.counter("sohbet.consent.data.keys.rewrap.failed", "from", fromId).increment(run.failed());
                });
    }

    /** Where the walk over one master key's keys is: the last subject id claimed. */
    private static final class Cursor {
        String after = "";
    }

    private record Batch(int claimed, int rewrapped, int failed, int size) {

        /** A full batch: there may be more. */
        boolean full() {
            return claimed == size;
        }
    }

    private Uni<Batch> batch(String fromId, Cursor cursor) {
        return database.withTransaction(connection -> connection.preparedQuery("SELECT subject_id, wrapped_key FROM subject_key "
                        + "WHERE master_key_id = $1 AND subject_id > $2 ORDER BY subject_id LIMIT $3 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(fromId, cursor.after, batchSize))
                .flatMap(rows -> {
                    List<String> subjects = new ArrayList<>(rows.size());
                    List<String> wrapped = new ArrayList<>(rows.size());
                    int failed = 0;
                    for (Row row : rows) {
                        String subject = row.getString("subject_id");
                        cursor.after = subject;
                        try {
                            wrapped.add(masterKeys.rewrap(subject, fromId, row.getString("wrapped_key")));
                            subjects.add(subject);
                        } catch (RuntimeException cannotOpen) {
                            failed++;
                        }
                    }
                    int claimed = rows.size();
                    int left = failed;
                    if (subjects.isEmpty()) {
                        return Uni.createFrom().item(new Batch(claimed, 0, left, batchSize));
                    }
                    return connection.preparedQuery("UPDATE subject_key k SET master_key_id = $1, wrapped_key = u.wrapped "
                                    + "FROM unnest($2::varchar[], $3::varchar[]) AS u(subject_id, wrapped) "
                                    + "WHERE k.subject_id = u.subject_id AND k.master_key_id = $4")
                            .execute(Tuple.of(masterKeys.activeId(), subjects.toArray(new String[0]), wrapped.toArray(new String[0]), fromId))
                            .map(updated -> new Batch(claimed, updated.rowCount(), left, batchSize));
                }));
    }
}
