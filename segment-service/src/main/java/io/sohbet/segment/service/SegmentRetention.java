package io.sohbet.segment.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionInterval;
import io.sohbet.kit.privacy.DestructionOutbox;
import io.sohbet.kit.privacy.RetentionRun;
import io.sohbet.segment.config.SegmentConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The retention rules of segment-service ({@code sohbet.segment.retention.*}): interactions and sent messages older
 * than {@code history} (90 days, the longest window a profile counts them in) and orders older than {@code orders}
 * (400 days) are deleted, oldest first, at most {@code batch} rows of each table per transaction, until a transaction
 * deletes fewer. Then the profiles left with nothing to be computed from (no interaction, sent message or order) and
 * not seen for {@code history} are deleted, with their segment memberships (each announced as {@code left} through the
 * outbox, as any membership change). Profiles are derived from these rows and recomputed from what is left on the next scheduled
 * evaluation ({@code sohbet.segment.reevaluate-every}): the rolling 7/30/90-day counts do not change, while the totals
 * (interactions, orders, revenue, RFM), the last activity and the segments built on them (at risk, loyal) count only
 * what is kept (README, segment-service configuration).
 * <p>Runs on {@code sohbet.segment.retention.cron} (checked at startup against the KVKK destruction regulation's
 * longest interval, {@link DestructionInterval}, and the periods against the profile's windows). Each transaction takes
 * an advisory lock first and stops the run when another replica holds it. Each transaction that deleted anything writes
 * one {@code privacy.destruction} event into the outbox ({@link DestructionOutbox}): consent-service records it once.
 */
@ApplicationScoped
public class SegmentRetention {

    private static final Logger LOG = Logger.getLogger(SegmentRetention.class);

    /** The key of the advisory lock of a retention transaction. */
    static final long RETENTION_LOCK = 0x5e6_0012L;
    static final String CRON_SETTING = "sohbet.segment.retention.cron";
    static final String EXEMPT_SETTING = "sohbet.segment.retention.verbis-exempt";
    /** The longest window a profile counts interactions in, and orders. */
    static final Duration INTERACTION_WINDOW = Duration.ofDays(90);
    static final Duration ORDER_WINDOW = Duration.ofDays(30);

    /** One rule: the table, its key and time, the setting that keeps it, its VERBİS category and what is deleted. */
    record Rule(String table, String key, String time, String setting, String category, String technique) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("interaction", "event_id", "at", "sohbet.segment.retention.history", "Kimlik, Pazarlama",
                    "interactions (replies, reads, clicks) older than the period deleted"),
            new Rule("sent_message", "wamid", "sent_at", "sohbet.segment.retention.history", "Kimlik, Müşteri İşlem",
                    "sent messages (content kind of a later read) older than the period deleted"),
            new Rule("shop_order", "order_id", "at", "sohbet.segment.retention.orders", "Kimlik, Müşteri İşlem, Finans",
                    "orders older than the period deleted"));

    /** Profiles with no facts left, not seen for the history period; $1 the cutoff, $2 the batch. */
    static final String EMPTY_PROFILES = "DELETE FROM profile WHERE subject_id IN (SELECT p.subject_id FROM profile p "
            + "WHERE p.last_seen_at < $1 AND NOT EXISTS (SELECT 1 FROM interaction i WHERE i.subject_id = p.subject_id) "
            + "AND NOT EXISTS (SELECT 1 FROM sent_message m WHERE m.subject_id = p.subject_id) "
            + "AND NOT EXISTS (SELECT 1 FROM shop_order o WHERE o.subject_id = p.subject_id) "
            + "ORDER BY p.last_seen_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING subject_id";

    private final Pool database;
    private final SegmentConfig config;
    private final Memberships memberships;

    public SegmentRetention(Pool database, SegmentConfig config, Memberships memberships) {
        this.database = database;
        this.config = config;
        this.memberships = memberships;
    }

    void onStart(@Observes StartupEvent started) {
        SegmentConfig.Retention r = config.retention();
        DestructionInterval.require(CRON_SETTING, EXEMPT_SETTING, r.cron(), r.verbisExempt());
        problem(r.history(), r.orders(), config.thresholds().atRiskDays()).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    /** Why the periods are too short for the profile's windows; empty when they are not. */
    static java.util.Optional<String> problem(Duration history, Duration orders, int atRiskDays) {
        if (history.compareTo(INTERACTION_WINDOW) < 0 || history.compareTo(Duration.ofDays(atRiskDays)) <= 0) {
            return java.util.Optional.of("sohbet.segment.retention.history must be at least 90 days (the profile counts "
                    + "interactions over 90 days) and longer than sohbet.segment.thresholds.at-risk-days (" + atRiskDays
                    + "), not " + history);
        }
        if (orders.compareTo(ORDER_WINDOW) < 0) {
            return java.util.Optional.of("sohbet.segment.retention.orders must be at least 30 days (the profile counts "
                    + "orders over 30 days), not " + orders);
        }
        return java.util.Optional.empty();
    }

    @Scheduled(cron = "${sohbet.segment.retention.cron:0 50 3 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return run(Instant.now()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("segment retention run failed, the next run retries: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Deletes everything older than its period as of {@code now}; the number of rows deleted. */
    public Uni<Long> run(Instant now) {
        String run = UUID.randomUUID().toString();
        return RetentionRun.run(database, RETENTION_LOCK, run, (tx, runId) -> batch(tx, now, runId), List.<Long>of(),
                        deleted -> deleted.stream().limit(RULES.size() + 1).anyMatch(n -> n == config.retention().batch()))
                .map(batches -> batches.stream().flatMap(List::stream).mapToLong(Long::longValue).sum())
                .invoke(deleted -> LOG.logf(deleted > 0 ? Logger.Level.INFO : Logger.Level.DEBUG, "segment retention run %s: %d rows deleted",
                        run, deleted));
    }

    /** One batch: up to {@code batch} rows of each rule deleted, and the event of what was; the rows per rule. */
    private Uni<List<Long>> batch(SqlConnection tx, Instant now, String runId) {
        List<Long> deleted = new ArrayList<>();
        Uni<Void> steps = Uni.createFrom().voidItem();
        for (Rule rule : RULES) {
            steps = steps.chain(() -> delete(tx, rule, now).invoke(deleted::add)).replaceWithVoid();
        }
        return steps.chain(() -> emptyProfiles(tx, now)).invoke(profiles -> {
                    deleted.add((long) profiles.profiles());
                    deleted.add((long) profiles.memberships());
                })
                .chain(() -> DestructionOutbox.write(tx, config.serviceName(), runId, now, entries(deleted)))
                .replaceWith(deleted);
    }

    record Emptied(int profiles, int memberships) {
    }

    /** Deletes a batch of profiles with nothing left to compute them from, and their memberships (announced). */
    private Uni<Emptied> emptyProfiles(SqlConnection tx, Instant now) {
        return tx.preparedQuery(EMPTY_PROFILES).execute(Tuple.of(now.minus(config.retention().history()).atOffset(ZoneOffset.UTC),
                config.retention().batch())).flatMap(rows -> {
                    List<String> subjects = new ArrayList<>();
                    rows.forEach(r -> subjects.add(r.getString("subject_id")));
                    return memberships.removeSubjects(tx, subjects, now).map(left -> new Emptied(subjects.size(), left));
                });
    }

    private Uni<Long> delete(SqlConnection tx, Rule rule, Instant now) {
        Instant cutoff = now.minus(period(rule));
        return tx.preparedQuery("DELETE FROM " + rule.table() + " WHERE " + rule.key() + " IN (SELECT " + rule.key() + " FROM "
                        + rule.table() + " WHERE " + rule.time() + " < $1 ORDER BY " + rule.time() + " LIMIT $2 FOR UPDATE SKIP LOCKED)")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), config.retention().batch())).map(RowSet::rowCount).map(Long::valueOf);
    }

    private Duration period(Rule rule) {
        return rule.table().equals("shop_order") ? config.retention().orders() : config.retention().history();
    }

    private List<PrivacyDestruction.Entry> entries(List<Long> deleted) {
        List<PrivacyDestruction.Entry> out = new ArrayList<>();
        for (int i = 0; i < RULES.size(); i++) {
            Rule rule = RULES.get(i);
            out.add(new PrivacyDestruction.Entry(rule.table(), rule.category(), deleted.get(i), PrivacyDestruction.DELETION,
                    rule.technique(), DestructionOutbox.byRule(rule.setting(), period(rule))));
        }
        String reason = DestructionOutbox.byRule("sohbet.segment.retention.history", config.retention().history())
                + "; nothing left to compute the profile from";
        out.add(new PrivacyDestruction.Entry("profile", "Kimlik, Lokasyon, Müşteri İşlem, Pazarlama, Finans", deleted.get(RULES.size()),
                PrivacyDestruction.DELETION, "profiles with no interaction, sent message or order left, not seen for the period, "
                        + "deleted", reason));
        out.add(new PrivacyDestruction.Entry("segment_member", "Kimlik, Pazarlama", deleted.get(RULES.size() + 1),
                PrivacyDestruction.DELETION, "the segment memberships of those profiles deleted (announced as left)", reason));
        return out;
    }
}
