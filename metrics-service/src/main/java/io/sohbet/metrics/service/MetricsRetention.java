package io.sohbet.metrics.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionInterval;
import io.sohbet.kit.privacy.DestructionOutbox;
import io.sohbet.kit.privacy.RetentionRun;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The retention rule of metrics-service ({@code sohbet.metrics.retention.*}): a person whose newest row in any table
 * of metrics is older than {@code subject-rows} (400 days) is folded into the anonymous aggregates exactly as on
 * erasure ({@link ErasureFolding#fold}): every per-campaign figure stays what it was (a unique count across several
 * campaigns, the summary without a campaign, counts the person once per campaign, as after an erasure), nothing links
 * to the person any more. The
 * rule takes whole people, not single rows: the fold keeps the figures exact only for all of a person's rows at once
 * (attribution, reply credits and conversation times join a person's rows across tables and time), so a person
 * active within the period keeps their older rows until 400 days after their last activity (docs/data-inventory.md).
 * <p>Runs on {@code sohbet.metrics.retention.cron} (checked at startup against the KVKK destruction regulation's
 * longest interval, {@link DestructionInterval}), {@code batch} people per transaction until none is left. Each
 * transaction takes an advisory lock first and stops the run when another replica holds it: one replica folds at a
 * time. Inside the batch's transaction each candidate's rows are locked as the fold locks them and the person's newest
 * row is read again ({@link #foldExpired}): a row that arrived after the candidates were selected, newer than the
 * period, keeps the person (skipped, not folded). Each transaction that folded anyone writes one
 * {@code privacy.destruction} event into the outbox ({@link DestructionOutbox}), its run id the run's and the
 * transaction's number: consent-service records it once.
 */
@ApplicationScoped
public class MetricsRetention {

    private static final Logger LOG = Logger.getLogger(MetricsRetention.class);

    /** The key of the advisory lock of a retention transaction. */
    static final long RETENTION_LOCK = 0x3e7_0012L;
    static final String CRON_SETTING = "sohbet.metrics.retention.cron";
    static final String EXEMPT_SETTING = "sohbet.metrics.retention.verbis-exempt";
    static final String RULE_SETTING = "sohbet.metrics.retention.subject-rows";

    /** Each table's time columns: a person's newest row is the latest of them over every table. */
    static final Map<String, String> TIMES = new LinkedHashMap<>();

    static {
        TIMES.put("message_state", "GREATEST(sent_at, delivered_at, read_at, failed_at)");
        TIMES.put("link_click", "clicked_at");
        TIMES.put("inbound_message", "received_at");
        TIMES.put("feedback", "received_at");
        TIMES.put("conversation_resolution", "resolved_at");
        TIMES.put("shop_order", "occurred_at");
        TIMES.put("opt_out", "opted_out_at");
        // a membership still open is activity now: a member of a segment is not folded (segment-service closes the
        // memberships of profiles it deletes by its own rule, so they are folded later)
        TIMES.put("segment_membership", "COALESCE(left_at, 'infinity')");
    }

    /** What the fold does to each table, for the destruction record: VERBİS category, method, how. */
    record Dataset(String category, String method, String technique) {
    }

    static final Map<String, Dataset> DATASETS = Map.of(
            "message_state", new Dataset("Kimlik, Müşteri İşlem, Pazarlama", PrivacyDestruction.ANONYMISATION,
                    "subject id and message id replaced by random tokens, attributed facts frozen (ErasureFolding)"),
            "link_click", new Dataset("Kimlik, Pazarlama", PrivacyDestruction.ANONYMISATION,
                    "subject id and click id replaced by random tokens (ErasureFolding)"),
            "inbound_message", new Dataset("Kimlik, Müşteri İşlem", PrivacyDestruction.ANONYMISATION,
                    "subject id and message ids replaced by random tokens, credited campaign frozen (ErasureFolding)"),
            "feedback", new Dataset("Kimlik, Müşteri İşlem", PrivacyDestruction.ANONYMISATION,
                    "subject id and message id replaced by random tokens, rare keyword hashes dropped (ErasureFolding)"),
            "conversation_resolution", new Dataset("Kimlik, Müşteri İşlem", PrivacyDestruction.ANONYMISATION,
                    "subject id replaced by a random token per conversation part (ErasureFolding)"),
            "shop_order", new Dataset("Kimlik, Müşteri İşlem, Finans", PrivacyDestruction.DELETION,
                    "orders deleted once their conversions are frozen on the messages (ErasureFolding)"),
            "opt_out", new Dataset("Kimlik, Pazarlama", PrivacyDestruction.DELETION,
                    "opt-outs deleted once frozen on the messages (ErasureFolding)"),
            "segment_membership", new Dataset("Kimlik, Pazarlama", PrivacyDestruction.DELETION,
                    "segment memberships deleted once frozen on the messages (ErasureFolding)"));

    private final Pool database;
    private final ErasureFolding folding;
    private final MetricsConfig config;

    public MetricsRetention(Pool database, ErasureFolding folding, MetricsConfig config) {
        this.database = database;
        this.folding = folding;
        this.config = config;
    }

    void onStart(@Observes StartupEvent started) {
        DestructionInterval.require(CRON_SETTING, EXEMPT_SETTING, config.retention().cron(), config.retention().verbisExempt());
    }

    @Scheduled(cron = "${sohbet.metrics.retention.cron:0 40 3 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return run(Instant.now()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("metrics retention run failed, the next run retries: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Folds everyone whose newest row is older than the period as of {@code now}; the number of people folded. */
    public Uni<Long> run(Instant now) {
        String run = UUID.randomUUID().toString();
        return RetentionRun.run(database, RETENTION_LOCK, run, (tx, runId) -> batch(tx, now, runId), Batch.NONE,
                        batch -> batch.candidates() == config.retention().batch())
                .map(batches -> batches.stream().mapToLong(Batch::folded).sum())
                .invoke(folded -> LOG.logf(folded > 0 ? Logger.Level.INFO : Logger.Level.DEBUG,
                        "metrics retention run %s: %d people folded into the aggregates", run, folded));
    }

    /** What one batch did: the people it selected, and how many of them it folded (the others became active). */
    record Batch(int candidates, int folded) {
        static final Batch NONE = new Batch(0, 0);
    }

    /** One batch: up to {@code batch} people selected, those still expired folded, and the event of what was folded. */
    private Uni<Batch> batch(SqlConnection tx, Instant now, String runId) {
        return expired(tx, now).flatMap(candidates -> foldExpired(tx, now, runId, candidates)
                .map(folded -> new Batch(candidates.size(), folded)));
    }

    /**
     * Folds those of {@code candidates} whose newest row is still older than the period, in the caller's transaction:
     * each one's rows are locked first (as the fold locks them), then the newest is read again, so a row written since
     * the candidates were selected and before this re-check keeps its person (row locks do not stop inserts: a row committed between the re-check and the fold is folded with the rest). Writes the destruction event of what was folded (none when nobody
     * was); the number of people folded.
     */
    Uni<Integer> foldExpired(SqlConnection tx, Instant now, String runId, List<String> candidates) {
        OffsetDateTime cutoff = now.minus(config.retention().subjectRows()).atOffset(ZoneOffset.UTC);
        List<String> still = new ArrayList<>();
        Uni<Void> checked = Uni.createFrom().voidItem();
        for (String subject : candidates) {
            checked = checked.chain(() -> ErasureFolding.lockRows(tx, subject))
                    .chain(() -> tx.preparedQuery("SELECT COALESCE(max(at) < $2, FALSE) AS expired FROM ("
                                    + newest("subject_id = $1") + ") t")
                            .execute(Tuple.of(subject, cutoff)))
                    .invoke(rows -> {
                        if (rows.iterator().next().getBoolean("expired")) {
                            still.add(subject);
                        }
                    })
                    .replaceWithVoid();
        }
        return checked.chain(() -> {
            if (still.size() < candidates.size()) {
                LOG.infof("metrics retention: %d of %d people selected were active since, not folded",
                        candidates.size() - still.size(), candidates.size());
            }
            return still.isEmpty() ? Uni.createFrom().item(0)
                    : counts(tx, still).flatMap(counts -> foldAll(tx, still)
                            .chain(() -> DestructionOutbox.write(tx, config.serviceName(), runId, now, entries(counts)))
                            .replaceWith(still.size()));
        });
    }

    /** Each person's newest row per table, of the people {@code where} selects. */
    private static String newest(String where) {
        return TIMES.entrySet().stream().map(t -> "SELECT subject_id, max(" + t.getValue() + ") AS at FROM " + t.getKey()
                + " WHERE " + where + " GROUP BY subject_id").collect(Collectors.joining(" UNION ALL "));
    }

    /** People (not fold tokens) whose newest row is older than the period. */
    private Uni<List<String>> expired(SqlConnection tx, Instant now) {
        return tx.preparedQuery("SELECT subject_id FROM (" + newest("subject_id NOT LIKE 'erased-%'") + ") t GROUP BY subject_id "
                        + "HAVING max(at) < $1 ORDER BY subject_id LIMIT $2")
                .execute(Tuple.of(now.minus(config.retention().subjectRows()).atOffset(ZoneOffset.UTC), config.retention().batch()))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString("subject_id")));
                    return out;
                });
    }

    /** The rows of these people in each table, before the fold. */
    private static Uni<Map<String, Long>> counts(SqlConnection tx, List<String> subjects) {
        String select = TIMES.keySet().stream().map(t -> "(SELECT count(*) FROM " + t + " WHERE subject_id = ANY($1)) AS " + t)
                .collect(Collectors.joining(", "));
        return tx.preparedQuery("SELECT " + select).execute(Tuple.of(subjects.toArray(new String[0]))).map(rows -> {
            Row row = rows.iterator().next();
            Map<String, Long> out = new LinkedHashMap<>();
            TIMES.keySet().forEach(t -> out.put(t, row.getLong(t)));
            return out;
        });
    }

    private Uni<Void> foldAll(SqlConnection tx, List<String> subjects) {
        Uni<Void> folded = Uni.createFrom().voidItem();
        for (String subject : subjects) {
            folded = folded.chain(() -> folding.fold(tx, subject)).replaceWithVoid();
        }
        return folded;
    }

    private List<PrivacyDestruction.Entry> entries(Map<String, Long> counts) {
        String reason = DestructionOutbox.byRule(RULE_SETTING, config.retention().subjectRows());
        List<PrivacyDestruction.Entry> out = new ArrayList<>();
        counts.forEach((table, rows) -> {
            Dataset d = DATASETS.get(table);
            out.add(new PrivacyDestruction.Entry(table, d.category(), rows, d.method(), d.technique(), reason));
        });
        return out;
    }
}
