package io.sohbet.consent.iys;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.events.FieldCipher;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The İYS backfill: the marketing consents that were current on a mirrored channel before İYS was turned on for it
 * have no {@code iys_record}, so enforcement withholds them and a later revocation would not reach İYS (nothing before
 * it). Once per channel (by itself at the first start with the channel, {@code backfill-on-start}, or on
 * {@code POST /api/iys/backfill}), each such current entry of a Turkish number is checked with one İYS status query
 * (within {@code limits.status}, shared with reconciliation) and gets its record:
 * <ul>
 * <li>İYS holds the same status already (given through another tool): {@code accepted} with İYS's transaction id;</li>
 * <li>a grant İYS lacks, still inside its 3-business-day window and newer than İYS's record: {@code pending}, uploaded
 * by {@link IysSync} like any other;</li>
 * <li>a grant past that window: {@code skipped} ({@code past-deadline}: İYS refuses it; the person has to consent
 * again), or older than İYS's own record ({@code older-than-iys});</li>
 * <li>a revocation while İYS holds an ONAY: a {@code pending} RET (dated now when its own date is past the window,
 * as reconciliation's {@code ours-to-iys} does); with nothing in İYS: {@code skipped} ({@code no-onay-in-iys}).</li>
 * </ul>
 * Resumable and idempotent: {@code iys_backfill} keeps each channel's cursor (ledger entry id), a step runs in one
 * transaction holding its channel's row, and an entry that already has a record is never checked again. Nothing
 * personal is logged.
 */
@ApplicationScoped
public class IysBackfill {

    private static final Logger LOG = Logger.getLogger(IysBackfill.class);

    /** A channel's backfill: {@code running} or {@code done}, the ledger entries up to {@code upTo}, checked up to {@code after}. */
    @RegisterForReflection
    public record Progress(String channel, String state, long upTo, long after, long queued, long inIys, long skipped,
            String startedBy, Instant startedAt, Instant finishedAt) {
    }

    private enum Outcome { QUEUED, IN_IYS, SKIPPED, NONE }

    private final IysConfig config;
    private final IysClient client;
    private final IysOutbound outbound;
    private final KeyVault keys;
    private final AuditLog audit;
    private final Database database;
    private volatile boolean started;

    public IysBackfill(ConsentConfig config, IysClient client, IysOutbound outbound, KeyVault keys, AuditLog audit,
            Database database) {
        this.config = config.iys();
        this.database = database;
        this.client = client;
        this.outbound = outbound;
        this.keys = keys;
        this.audit = audit;
    }

    @Scheduled(every = "${sohbet.consent.iys.sync-interval:1m}", delayed = "4s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> first = started || !config.backfillOnStart() ? Uni.createFrom().voidItem()
                : database.inTransaction(() -> create("startup", false)).invoke(() -> started = true).replaceWithVoid();
        return first.chain(() -> continueAll(Instant.now().plusSeconds(30))).onFailure().recoverWithItem(e -> {
            LOG.warnf("the İYS backfill stopped, it resumes in %s: %s", config.syncInterval(), e.getClass().getSimpleName());
            return null;
        });
    }

    /**
     * Starts the backfill of every mirrored channel again from the first ledger entry (entries that have their İYS
     * record are skipped at no cost), audited; the next sync rounds carry it out. The progress so far.
     */
    public Uni<List<Progress>> start(String actor) {
        return database.inTransaction(() -> create(actor, true)
                .call(() -> audit.append(actor, "iys.backfill.started", null, Map.of("channels",
                        config.channels().keySet().stream().sorted().toList()))))
                .chain(this::progress);
    }

    /** Each channel's backfill, by channel. */
    public Uni<List<Progress>> progress() {
        return database.withConnection(() -> database.list("SELECT channel, up_to, after, "
                        + "queued, in_iys, skipped, started_by, started_at, finished_at FROM iys_backfill ORDER BY channel",
                IysBackfill::progressOf));
    }

    private static Progress progressOf(Row r) {
        Instant finished = Database.instant(r, "finished_at");
        return new Progress(r.getString("channel"), finished == null ? "running" : "done", r.getLong("up_to"),
                r.getLong("after"), r.getLong("queued"), r.getLong("in_iys"), r.getLong("skipped"),
                r.getString("started_by"), Database.instant(r, "started_at"), finished);
    }

    /** A row per mirrored channel: a new one, or with {@code restart} every row reset to the first entry. */
    private Uni<Void> create(String actor, boolean restart) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Multi.createFrom().iterable(config.channels().keySet().stream().sorted().toList())
                .onItem().transformToUniAndConcatenate(channel -> database.update(
                        "INSERT INTO iys_backfill (channel, up_to, after, started_by, started_at, updated_at) "
                                + "VALUES ($1, (SELECT coalesce(max(id), 0) FROM consent_record), 0, $2, $3, $3) "
                                + "ON CONFLICT (channel) "
                                + (restart ? "DO UPDATE SET up_to = excluded.up_to, after = 0, queued = 0, in_iys = 0, "
                                + "skipped = 0, started_by = excluded.started_by, started_at = excluded.started_at, "
                                + "finished_at = NULL, updated_at = excluded.updated_at" : "DO NOTHING"),
                        channel, actor, now))
                .collect().asList().replaceWithVoid();
    }

    /** Steps through every unfinished channel until all are done or {@code until} has passed. */
    public Uni<Void> continueAll(Instant until) {
        return Multi.createFrom().iterable(config.channels().keySet().stream().sorted().toList())
                .onItem().transformToUniAndConcatenate(channel -> continueChannel(channel, until))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> continueChannel(String channel, Instant until) {
        return step(channel).flatMap(more -> more && Instant.now().isBefore(until) ? continueChannel(channel, until)
                : Uni.createFrom().voidItem());
    }

    /** One page of a channel's entries in one transaction: whether more remain (false when done or held by another replica). */
    Uni<Boolean> step(String channel) {
        int page = Math.max(1, config.backfillPage());
        return database.inTransaction(() -> database.first("SELECT up_to, after FROM iys_backfill "
                        + "WHERE channel = $1 AND finished_at IS NULL FOR UPDATE SKIP LOCKED",
                        row -> new long[] {row.getLong("up_to"), row.getLong("after")}, channel)
                .flatMap(held -> {
                    if (held == null) {
                        return Uni.createFrom().item(false);
                    }
                    long upTo = held[0];
                    long after = held[1];
                    return database.list("SELECT c.id, c.subject_id, c.state, c.source, c.captured_at "
                                    + "FROM consent_record c WHERE c.purpose = 'marketing' AND c.channel = $1 "
                                    + "AND c.id > $2 AND c.id <= $3 AND c.source <> $5 "
                                    + "AND NOT EXISTS (SELECT 1 FROM consent_record l WHERE l.subject_id = c.subject_id "
                                    + "AND l.purpose = c.purpose AND l.channel = c.channel "
                                    + "AND (l.captured_at > c.captured_at "
                                    + "OR (l.captured_at = c.captured_at AND l.id > c.id))) "
                                    + "AND NOT EXISTS (SELECT 1 FROM iys_record r WHERE r.ledger_entry = c.id) "
                                    + "ORDER BY c.id LIMIT $4",
                                    row -> row, channel, after, upTo, page, IysOutbound.SOURCE)
                            .flatMap(rows -> Multi.createFrom().iterable(rows).onItem()
                                    .transformToUniAndConcatenate(row -> one(channel, row.getLong("id"),
                                            row.getString("subject_id"), row.getString("state"),
                                            row.getString("source"), Database.instant(row, "captured_at")))
                                    .collect().asList()
                                    .flatMap(outcomes -> {
                                        boolean done = rows.size() < page;
                                        long last = rows.isEmpty() ? after : rows.get(rows.size() - 1).getLong("id");
                                        return database.update("UPDATE iys_backfill SET after = $2, "
                                                        + "queued = queued + $3, in_iys = in_iys + $4, "
                                                        + "skipped = skipped + $5, updated_at = $6, "
                                                        + "finished_at = CASE WHEN CAST($7 AS boolean) "
                                                        + "THEN CAST($6 AS timestamptz) END WHERE channel = $1",
                                                        channel, done ? upTo : last, count(outcomes, Outcome.QUEUED),
                                                        count(outcomes, Outcome.IN_IYS),
                                                        count(outcomes, Outcome.SKIPPED),
                                                        Instant.now().truncatedTo(ChronoUnit.MICROS), done)
                                                .map(n -> !done);
                                    }));
                }));
    }

    /** The İYS record of one current entry made before İYS was on. */
    private Uni<Outcome> one(String channel, long entry, String subject, String state, String ourSource, Instant capturedAt) {
        String type = config.channels().get(channel).type();
        String ours = "granted".equals(state) ? "ONAY" : "RET";
        return outbound.recipient(subject, channel).flatMap(number -> {
            if (number == null) {
                return insert(entry, subject, channel, null, type, ours, ourSource, capturedAt, "skipped", "no-phone", null)
                        .replaceWith(Outcome.SKIPPED);
            }
            if (!number.startsWith("+90")) {
                return Uni.createFrom().item(Outcome.NONE); // not a Turkish number: İYS does not apply
            }
            return keys.find(Set.of(subject)).flatMap(found -> {
                byte[] key = found.get(subject);
                if (key == null) {
                    return insert(entry, subject, channel, null, type, ours, ourSource, capturedAt, "skipped", "no-key", null)
                            .replaceWith(Outcome.SKIPPED);
                }
                String sealed = FieldCipher.encrypt(key, subject, number);
                return client.status(number, "BIREYSEL", type).flatMap(held -> {
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    boolean inWindow = IysCalendar.deadline(capturedAt).isAfter(now);
                    String iys = held.map(IysClient.Status::status).orElse(null);
                    if (ours.equals(iys)) {
                        return insert(entry, subject, channel, sealed, type, ours, ourSource, capturedAt, "accepted",
                                "in-iys-before-backfill", held.get().transactionId()).replaceWith(Outcome.IN_IYS);
                    }
                    if (ours.equals("RET")) {
                        return iys == null
                                ? insert(entry, subject, channel, sealed, type, ours, ourSource, capturedAt, "skipped",
                                        "no-onay-in-iys", null).replaceWith(Outcome.SKIPPED)
                                : insert(entry, subject, channel, sealed, type, ours, ourSource, inWindow ? capturedAt : now,
                                        "pending", null, null).replaceWith(Outcome.QUEUED);
                    }
                    Optional<Instant> iysDate = held.map(IysClient.Status::consentDate).map(IysBackfill::iysDate);
                    String skip = !inWindow ? "past-deadline"
                            : iysDate.isPresent() && !capturedAt.isAfter(iysDate.get()) ? "older-than-iys" : null;
                    return insert(entry, subject, channel, sealed, type, ours, ourSource, capturedAt,
                            skip == null ? "pending" : "skipped", skip, null).replaceWith(skip == null ? Outcome.QUEUED : Outcome.SKIPPED);
                });
            });
        });
    }

    private Uni<Void> insert(long entry, String subject, String channel, String sealed, String type, String status,
            String ourSource, Instant consentDate, String state, String reason, String transactionId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return database.update("INSERT INTO iys_record (ledger_entry, subject_id, channel, "
                        + "recipient, recipient_type, type, status, source, consent_date, deadline, state, reason, "
                        + "transaction_id, next_attempt_at, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, 'BIREYSEL', $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13) "
                        + "ON CONFLICT (ledger_entry) DO NOTHING",
                entry, subject, channel, sealed, type, status, outbound.source(ourSource), consentDate,
                IysCalendar.deadline(consentDate), state, reason, transactionId, now)
                .replaceWithVoid();
    }

    private static Instant iysDate(String date) {
        try {
            return IysConsent.instant(date);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long count(List<Outcome> outcomes, Outcome outcome) {
        return outcomes.stream().filter(o -> o == outcome).count();
    }
}
