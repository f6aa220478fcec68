package io.sohbet.consent.iys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.ConsentLedger;
import io.sohbet.consent.service.ErasureLock;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the ledger with İYS every {@code sohbet.consent.iys.reconcile-interval} (daily) or on demand: for each
 * channel mirrored to İYS (not EPOSTA), each subject's current marketing entry whose number is Turkish and whose İYS
 * record is not still on its way is checked with one status query (rate-limited like every status call). Granted here
 * but no ONAY in İYS, or revoked here but ONAY in İYS, is a difference, kept in {@code iys_difference} (subject ids only)
 * until a privacy officer {@linkplain #apply applies} a direction. Each run replaces the open differences of the last.
 */
@ApplicationScoped
public class IysReconciliation {

    public static final String OURS_TO_IYS = "ours-to-iys";
    public static final String IYS_TO_OURS = "iys-to-ours";
    static final String FEED = "reconciliation";
    private static final Logger LOG = Logger.getLogger(IysReconciliation.class);

    /** One difference between the ledger and İYS. */
    @RegisterForReflection
    public record Difference(long id, String subjectId, String channel, String type, long ledgerEntry, String ours, String iys,
            String iysTransactionId, Instant foundAt, String state, String direction, String appliedBy, Instant appliedAt) {
    }

    /** When the last run finished, and the differences it left open. */
    @RegisterForReflection
    public record Report(Instant ranAt, List<Difference> differences) {
    }

    /** A difference that cannot be applied in the asked direction (409). */
    public static class NotApplicable extends RuntimeException {
        public NotApplicable(String message) {
            super(message);
        }
    }

    private record Current(String subject, String channel, String type, long entry, String ours) {
    }

    private record Checked(Current current, String iys, String transactionId) {
    }

    private final IysConfig config;
    private final IysClient client;
    private final IysOutbound outbound;
    private final ConsentLedger ledger;
    private final ErasureLock lock;
    private final AuditLog audit;
    private final Database database;
    private final io.vertx.core.Vertx vertx;
    private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

    public IysReconciliation(ConsentConfig config, IysClient client, IysOutbound outbound, ConsentLedger ledger, ErasureLock lock,
            AuditLog audit, Database database, io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
        this.database = database;
        this.config = config.iys();
        this.client = client;
        this.outbound = outbound;
        this.ledger = ledger;
        this.lock = lock;
        this.audit = audit;
    }

    /** Whether any channel is mirrored to İYS. */
    public boolean enabled() {
        return !config.channels().isEmpty();
    }

    /** The scheduled run's job, by which it can be paused. */
    static final String JOB = "iys-reconciliation";

    @Scheduled(identity = JOB, every = "${sohbet.consent.iys.reconcile-interval:24h}",
            delayed = "${sohbet.consent.iys.reconcile-interval:24h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return run().onTermination().invoke(() -> running.set(false)).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("reconciling with İYS failed, next run in %s: %s", config.reconcileInterval(), e.getClass().getSimpleName());
            return null;
        });
    }

    /**
     * Starts a run in the background unless one is under way in this replica: false when one is. Its own Vert.x context,
     * so that it outlives the request that started it.
     */
    public boolean start() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        io.vertx.core.Context context = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        // a duplicated context of its own: Database keeps the run's connection and transaction in its locals
        context.runOnContext(ignored -> run().onTermination().invoke(() -> running.set(false)).subscribe().with(report -> {
        }, e -> LOG.warnf("reconciling with İYS failed: %s", e.getClass().getSimpleName())));
        return true;
    }

    /** Whether a run is under way in this replica. */
    boolean running() {
        return running.get();
    }

    /** Compares every current entry with İYS and keeps the differences; the report of this run. */
    public Uni<Report> run() {
        List<Map.Entry<String, IysConfig.Channel>> channels = config.channels().entrySet().stream()
                .filter(c -> !"EPOSTA".equals(c.getValue().type())).sorted(Map.Entry.comparingByKey()).toList();
        return Multi.createFrom().iterable(channels).onItem().transformToUniAndConcatenate(this::currents)
                .collect().asList().map(lists -> lists.stream().flatMap(List::stream).toList())
                .flatMap(currents -> Multi.createFrom().iterable(currents).onItem().transformToUniAndConcatenate(this::check)
                        .filter(c -> c != null && differs(c)).collect().asList())
                .flatMap(this::keep)
                .flatMap(ignored -> report());
    }

    /** Each subject's current marketing entry on the channel with its Turkish number, unless its İYS record is on its way. */
    private Uni<List<Map.Entry<Current, String>>> currents(Map.Entry<String, IysConfig.Channel> channel) {
        return database.withConnection(() -> database.query("SELECT DISTINCT ON (c.subject_id) "
                                + "c.subject_id, c.id, c.state FROM consent_record c "
                                + "WHERE c.purpose = 'marketing' AND c.channel = $1 "
                                + "AND NOT EXISTS (SELECT 1 FROM iys_record r "
                                + "WHERE r.subject_id = c.subject_id AND r.channel = c.channel "
                                + "AND r.state IN ('pending', 'sending', 'sent')) "
                                + "ORDER BY c.subject_id, c.captured_at DESC, c.id DESC", channel.getKey())
                .flatMap(rows -> Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(row -> {
                    Current current = new Current(row.getString("subject_id"), channel.getKey(),
                            channel.getValue().type(), row.getLong("id"),
                            "granted".equals(row.getString("state")) ? "granted" : "revoked");
                    return outbound.recipient(current.subject(), current.channel())
                            .map(number -> number == null || !number.startsWith("+90") ? null : Map.entry(current, number));
                }).filter(e -> e != null).collect().asList()));
    }

    private Uni<Checked> check(Map.Entry<Current, String> current) {
        return client.status(current.getValue(), "BIREYSEL", current.getKey().type())
                .map(found -> new Checked(current.getKey(), found.map(IysClient.Status::status).orElse("none"),
                        found.map(IysClient.Status::transactionId).orElse(null)));
    }

    static boolean differs(Checked checked) {
        return "granted".equals(checked.current().ours()) != "ONAY".equals(checked.iys());
    }

    /** Replaces the open differences with this run's, one run at a time across replicas. */
    private Uni<Void> keep(List<Checked> differences) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return database.inTransaction(() -> database
                        .query("SELECT pg_advisory_xact_lock(hashtext('iys-reconciliation'))")
                        .chain(() -> database.update(
                                "UPDATE iys_difference SET state = 'superseded' WHERE state = 'open'"))
                        .chain(() -> Multi.createFrom().iterable(differences).onItem()
                                .transformToUniAndConcatenate(d -> database.update("INSERT INTO iys_difference "
                                        + "(subject_id, channel, type, ledger_entry, ours, iys, iys_transaction_id, "
                                        + "found_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open')",
                                        d.current().subject(), d.current().channel(), d.current().type(),
                                        d.current().entry(), d.current().ours(), d.iys(), d.transactionId(), now))
                                .collect().asList())
                        .chain(() -> database.update("INSERT INTO iys_cursor (feed, after, polled_at) "
                                + "VALUES ($1, NULL, $2) ON CONFLICT (feed) DO UPDATE SET polled_at = $2", FEED, now)))
                .replaceWithVoid();
    }

    /** The last run's time and its open differences (and those applied since), newest first, at most 500. */
    public Uni<Report> report() {
        return database.withConnection(() -> database.first("SELECT polled_at FROM iys_cursor WHERE feed = $1",
                        row -> Database.instant(row, "polled_at"), FEED)
                .flatMap(ran -> database.list(SELECT + " WHERE state IN ('open', 'applied') ORDER BY id DESC LIMIT 500",
                                IysReconciliation::difference)
                        .map(differences -> new Report(ran, differences))));
    }

    private static final String SELECT = "SELECT id, subject_id, channel, type, ledger_entry, ours, iys, iys_transaction_id, "
            + "found_at, state, direction, applied_by, applied_at FROM iys_difference";

    private static Difference difference(Row r) {
        return new Difference(r.getLong("id"), r.getString("subject_id"), r.getString("channel"), r.getString("type"),
                r.getLong("ledger_entry"), r.getString("ours"), r.getString("iys"), r.getString("iys_transaction_id"),
                Database.instant(r, "found_at"), r.getString("state"), r.getString("direction"),
                r.getString("applied_by"), Database.instant(r, "applied_at"));
    }

    /**
     * Applies an open difference in the direction a privacy officer chose, audited. {@code iys-to-ours}: İYS has no ONAY,
     * so marketing on the channel is revoked in the ledger (source {@value IysOutbound#SOURCE}); an ONAY in İYS is not a
     * consent to our purposes, so a revocation here is never turned into a grant. {@code ours-to-iys}: the current
     * entry's İYS record is uploaded again (a RET dated now; an ONAY with its own consentDate, which İYS refuses when it
     * is older than 3 business days or than İYS's record: that shows in {@code GET /api/iys/status}). Empty when no
     * such difference exists.
     */
    public Uni<Optional<Difference>> apply(long id, String direction, String actor) {
        return database.inTransaction(() -> database
                .first(SELECT + " WHERE id = $1 FOR UPDATE", IysReconciliation::difference, id)
                .flatMap(d -> {
                    if (d == null) {
                        return Uni.createFrom().item(Optional.<Difference>empty());
                    }
                    if (!"open".equals(d.state())) {
                        throw new NotApplicable("difference " + id + " is " + d.state() + ", not open");
                    }
                    Uni<Void> fix = IYS_TO_OURS.equals(direction) ? toOurs(d) : toIys(d);
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    return fix.chain(() -> database.update("UPDATE iys_difference SET state = 'applied', "
                                    + "direction = $2, applied_by = $3, applied_at = $4 WHERE id = $1",
                                    id, direction, actor, now))
                            // audited in the transaction of the fix
                            .call(() -> audit.append(actor, "iys.reconciliation.applied", d.subjectId(), Map.of("difference", id,
                                    "direction", direction, "channel", d.channel(), "ours", d.ours(), "iys", d.iys())))
                            .map(n -> Optional.of(new Difference(d.id(), d.subjectId(), d.channel(), d.type(), d.ledgerEntry(),
                                    d.ours(), d.iys(), d.iysTransactionId(), d.foundAt(), "applied", direction, actor, now)));
                }));
    }

    private Uni<Void> toOurs(Difference d) {
        if (!"granted".equals(d.ours())) {
            throw new NotApplicable("İYS holds an ONAY but the ledger does not: an ONAY in İYS is not a consent to our "
                    + "purposes; record a new grant with its evidence instead");
        }
        return lock.hold(d.subjectId()).chain(() -> database.list(
                        "SELECT id FROM consent_record WHERE subject_id = $1 AND purpose = 'marketing' "
                                + "AND channel = $2 ORDER BY captured_at DESC, id DESC LIMIT 1",
                        row -> row.getLong("id"), d.subjectId(), d.channel()))
                .flatMap(latest -> {
                    if (!latest.equals(List.of(d.ledgerEntry()))) {
                        throw new NotApplicable("the ledger changed since the comparison: run it again");
                    }
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    ConsentRecord record = new ConsentRecord();
                    record.subjectId = d.subjectId();
                    record.purpose = IysOutbound.MARKETING;
                    record.channel = d.channel();
                    record.state = "revoked";
                    record.source = IysOutbound.SOURCE;
                    record.recordedBy = "iys-reconciliation";
                    record.recordedAt = now;
                    record.capturedAt = ConsentLedger.capturedAt(now, now);
                    return ledger.enter(record, "iys-reconciliation").replaceWithVoid();
                });
    }

    private Uni<Void> toIys(Difference d) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return database.update("UPDATE iys_record SET state = 'pending', attempts = 0, "
                                + "reason = NULL, request_id = NULL, item_index = NULL, next_attempt_at = $2, "
                                + "updated_at = $2, "
                                + "consent_date = CASE WHEN status = 'RET' THEN $2 ELSE consent_date END, "
                                + "deadline = CASE WHEN status = 'RET' THEN $3::timestamptz ELSE deadline END "
                                + "WHERE ledger_entry = $1 AND recipient IS NOT NULL AND state <> 'received'",
                        d.ledgerEntry(), now, IysCalendar.deadline(now))
                .map(updated -> {
                    if (updated == 0) {
                        throw new NotApplicable("the current ledger entry has no İYS record to upload (made before İYS was "
                                + "turned on, or read from İYS itself): record the choice again instead");
                    }
                    return null;
                });
    }
}
