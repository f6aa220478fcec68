package io.sohbet.consent.iys;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of the İYS sync, for {@code GET /api/iys/status} and the metrics {@code sohbet_iys_records{state}} and
 * {@code sohbet_iys_records_overdue} (records not in İYS whose 3-business-day deadline has passed or passes within a
 * day: {@code when="past"|"within-a-day"}), counted every sync interval. Subject ids only, never a phone.
 */
@ApplicationScoped
public class IysStatus {

    /** A record İYS refused or that could not be uploaded. */
    @RegisterForReflection
    public record Problem(long ledgerEntry, String subjectId, String channel, String status, String state, String reason,
            int attempts, Instant consentDate, Instant deadline) {
    }

    /** The whole picture. */
    @RegisterForReflection
    public record Report(boolean enabled, Map<String, IysChannel> channels, Map<String, Long> records, long overdue,
            long dueWithinADay, Instant feedReadAt, List<Problem> problems, List<IysBackfill.Progress> backfill,
            Map<String, Long> erasureRets) {
    }

    @RegisterForReflection
    public record IysChannel(String type, boolean enforce) {
    }

    private static final String NOT_IN_IYS = "state IN ('pending', 'sending', 'sent', 'failed')";

    private final IysConfig config;
    private final Pool database;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong dueSoon = new AtomicLong();

    public IysStatus(ConsentConfig config, Pool database, MeterRegistry metrics) {
        this.config = config.iys();
        this.database = database;
        for (String state : IysOutbound.states()) {
            AtomicLong value = new AtomicLong();
            gauges.put(state, value);
            Gauge.builder("sohbet.iys.records", value, AtomicLong::get).tag("state", state)
                    .description("İYS records per state").register(metrics);
        }
        Gauge.builder("sohbet.iys.records.overdue", overdue, AtomicLong::get).tag("when", "past")
                .description("İYS records not in İYS past their 3-business-day deadline").register(metrics);
        Gauge.builder("sohbet.iys.records.overdue", dueSoon, AtomicLong::get).tag("when", "within-a-day")
                .description("İYS records not in İYS whose deadline passes within a day").register(metrics);
    }

    @Scheduled(every = "${sohbet.consent.iys.sync-interval:1m}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> count() {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return report().invoke(report -> {
            report.records().forEach((state, n) -> gauges.get(state).set(n));
            overdue.set(report.overdue());
            dueSoon.set(report.dueWithinADay());
        }).replaceWithVoid().onFailure().recoverWithNull();
    }

    public Uni<Report> report() {
        Map<String, IysChannel> channels = new LinkedHashMap<>();
        config.channels().forEach((name, c) -> channels.put(name, new IysChannel(c.type(), c.enforce())));
        return database.query("SELECT state, count(*) FROM iys_record GROUP BY state").execute().flatMap(states -> {
            Map<String, Long> records = new LinkedHashMap<>();
            IysOutbound.states().forEach(s -> records.put(s, 0L));
            for (Row row : states) {
                records.put(row.getString(0), row.getLong(1));
            }
            return database.query("SELECT count(*) FILTER (WHERE deadline < now()), count(*) FILTER (WHERE deadline >= now() "
                            + "AND deadline < now() + interval '1 day') FROM iys_record WHERE " + NOT_IN_IYS).execute()
                    .flatMap(late -> database.query("SELECT polled_at FROM iys_cursor WHERE feed = 'IYS'").execute()
                            .flatMap(feed -> database.query("SELECT ledger_entry, subject_id, channel, status, state, reason, "
                                    + "attempts, consent_date, deadline FROM iys_record WHERE state IN ('refused', 'failed') "
                                    + "OR (attempts > 0 AND state = 'pending') ORDER BY updated_at DESC LIMIT 50").execute()
                                    .map(rows -> {
                                        List<Problem> problems = new ArrayList<>();
                                        for (Row r : rows) {
                                            problems.add(new Problem(r.getLong("ledger_entry"), r.getString("subject_id"),
                                                    r.getString("channel"), r.getString("status"), r.getString("state"),
                                                    r.getString("reason"), r.getInteger("attempts"),
                                                    r.getOffsetDateTime("consent_date").toInstant(),
                                                    r.getOffsetDateTime("deadline").toInstant()));
                                        }
                                        Row counts = late.iterator().next();
                                        Instant readAt = feed.size() == 0 ? null
                                                : feed.iterator().next().getOffsetDateTime(0).toInstant();
                                        return new Report(!config.channels().isEmpty(), channels, records, counts.getLong(0),
                                                counts.getLong(1), readAt, problems, List.of(), Map.of());
                                    })));
        }).flatMap(report -> backfill().flatMap(backfill -> erasureRets().map(rets -> new Report(report.enabled(),
                report.channels(), report.records(), report.overdue(), report.dueWithinADay(), report.feedReadAt(),
                report.problems(), backfill, rets))));
    }

    /** Each channel's backfill ({@link IysBackfill}). */
    private Uni<List<IysBackfill.Progress>> backfill() {
        return database.query("SELECT channel, up_to, after, queued, in_iys, skipped, started_by, started_at, finished_at "
                + "FROM iys_backfill ORDER BY channel").execute().map(rows -> {
                    List<IysBackfill.Progress> out = new ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime finished = r.getOffsetDateTime("finished_at");
                        out.add(new IysBackfill.Progress(r.getString("channel"), finished == null ? "running" : "done",
                                r.getLong("up_to"), r.getLong("after"), r.getLong("queued"), r.getLong("in_iys"),
                                r.getLong("skipped"), r.getString("started_by"), r.getOffsetDateTime("started_at").toInstant(),
                                finished == null ? null : finished.toInstant()));
                    }
                    return out;
                });
    }

    /** The RETs owed to İYS for erased people ({@link IysErasure}), per state. */
    private Uni<Map<String, Long>> erasureRets() {
        return database.query("SELECT state, count(*) FROM iys_erasure_ret GROUP BY state").execute().map(rows -> {
            Map<String, Long> out = new LinkedHashMap<>();
            List.of("pending", "accepted", "refused", "failed").forEach(st -> out.put(st, 0L));
            for (Row r : rows) {
                out.put(r.getString(0), r.getLong(1));
            }
            return out;
        });
    }
}
