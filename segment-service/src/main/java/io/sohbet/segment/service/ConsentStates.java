package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.privacy.DestructionOutbox;
import io.sohbet.segment.config.SegmentConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The marketing and profiling consent of each subject as segment-service last heard it from {@code consent.change}
 * (consent-service, the only writer, still decides at send time: this is for estimates and for profiling). A change
 * is kept only when it is newer than the one held (capture time, then ledger entry id: docs/contracts.md), so a batch
 * published again after newer ones, or a replayed dead letter, changes nothing; a redelivery neither.
 *
 * <p>Profiles and segments rest on the person's explicit consent to profiling (KVKK m.5/1, the data inventory's legal
 * basis): when they <em>withdraw</em> it (a {@code revoked} change; the mere absence of a grant is not a withdrawal),
 * the basis of everything derived about them is gone, so their memberships are removed (announced {@code left}) and
 * their profile and the facts it was computed from (interactions, sent messages, orders) are deleted; while it stays
 * withdrawn no fact about them is stored ({@link #profiling}). A later grant lets facts be stored again: their profile
 * is rebuilt from what happens after it.
 */
@ApplicationScoped
public class ConsentStates {

    public static final String MARKETING = "marketing";
    public static final String PROFILING = "profiling";
    /** The purposes kept: the others (analytics) are none of segment-service's business. */
    static final Set<String> KEPT = Set.of(MARKETING, PROFILING);

    /** The namespace (first key) of the per-subject transaction locks, apart from the single-key locks of the service. */
    static final int SUBJECT_LOCKS = 0x5e6;

    private static final String KEEP_NEWER = "INSERT INTO consent_state (subject_id, purpose, channel, state, changed_at, entry_id) "
            + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subject_id, purpose, channel) DO UPDATE SET state = EXCLUDED.state, "
            + "changed_at = EXCLUDED.changed_at, entry_id = EXCLUDED.entry_id "
            + "WHERE (consent_state.changed_at, consent_state.entry_id) < (EXCLUDED.changed_at, EXCLUDED.entry_id) RETURNING state";

    /** The legal reason of a deletion on a profiling withdrawal. */
    static final String WITHDRAWN = "KVKK m.7 (the conditions of processing ended): the person withdrew the explicit consent "
            + "to profiling (KVKK m.5/1) that profiles and segments rest on";

    private final Pool database;
    private final Memberships memberships;
    private final SegmentConfig config;

    public ConsentStates(Pool database, Memberships memberships, SegmentConfig config) {
        this.database = database;
        this.memberships = memberships;
        this.config = config;
    }

    /**
     * Keeps {@code change} if it is newer than the state held; a profiling withdrawal that became the state stops
     * profiling the subject in the same transaction. {@code eventId} is {@code consent:<ledger entry id>}.
     */
    public Uni<Void> changed(String eventId, String subject, ConsentChange change) {
        if (subject == null || change.changedAt() == null || change.purpose() == null || change.channel() == null
                || change.state() == null || !KEPT.contains(change.purpose())) {
            return Uni.createFrom().voidItem();
        }
        Tuple row = Tuple.from(List.of(subject, change.purpose(), change.channel(), change.state(),
                change.changedAt().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC), entryId(eventId)));
        return database.withTransaction(tx -> lockSubject(tx, subject)
                .chain(() -> tx.preparedQuery(KEEP_NEWER).execute(row))
                .chain(kept -> kept.size() == 1 && PROFILING.equals(change.purpose()) && ConsentChange.REVOKED.equals(change.state())
                        ? stopProfiling(tx, subject) : Uni.createFrom().voidItem()));
    }

    /**
     * Whether facts about {@code subject} may be stored and profiled: not while they have withdrawn profiling. Takes the
     * subject's transaction lock first, so that a withdrawal being applied is either seen or waits for this
     * transaction's facts to be written and then deletes them too.
     */
    public Uni<Boolean> profiling(SqlClient tx, String subject) {
        return lockSubject(tx, subject).chain(() -> tx.preparedQuery("SELECT 1 FROM consent_state WHERE subject_id = $1 "
                + "AND purpose = '" + PROFILING + "' AND state = '" + ConsentChange.REVOKED + "' LIMIT 1").execute(Tuple.of(subject)))
                .map(rows -> rows.size() == 0);
    }

    /**
     * Deletes the subject's profile and the facts it was computed from, then their memberships (announced {@code left}),
     * and writes what was deleted to the destruction records ({@code privacy.destruction}, through the outbox in this
     * transaction: a deletion on the withdrawal of the consent it rested on is recorded like a retention run's). The
     * profile goes first: a page of a scheduled evaluation that holds the profile's row is waited for, so memberships
     * it committed are seen, and removed, by the membership statement after.
     */
    private Uni<Void> stopProfiling(SqlClient tx, String subject) {
        Instant now = Instant.now();
        return tx.preparedQuery("WITH p AS (DELETE FROM profile WHERE subject_id = $1 RETURNING 1), "
                        + "i AS (DELETE FROM interaction WHERE subject_id = $1 RETURNING 1), "
                        + "s AS (DELETE FROM sent_message WHERE subject_id = $1 RETURNING 1), "
                        + "o AS (DELETE FROM shop_order WHERE subject_id = $1 RETURNING 1) "
                        + "SELECT (SELECT count(*) FROM p) AS p, (SELECT count(*) FROM i) AS i, (SELECT count(*) FROM s) AS s, "
                        + "(SELECT count(*) FROM o) AS o").execute(Tuple.of(subject))
                .flatMap(deleted -> memberships.removeSubjects(tx, List.of(subject), now).flatMap(left -> {
                    Row counts = deleted.iterator().next();
                    List<PrivacyDestruction.Entry> entries = List.of(
                            entry("profile", "Kimlik, Lokasyon, Müşteri İşlem, Pazarlama, Finans", counts.getLong("p"), "the profile"),
                            entry("interaction", "Kimlik, Pazarlama", counts.getLong("i"), "the interactions (replies, reads, clicks)"),
                            entry("sent_message", "Kimlik, Müşteri İşlem", counts.getLong("s"), "the sent messages"),
                            entry("shop_order", "Kimlik, Müşteri İşlem, Finans", counts.getLong("o"), "the orders"),
                            entry("segment_member", "Kimlik, Pazarlama", left, "the segment memberships (announced as left)"));
                    return DestructionOutbox.write(tx, config.serviceName(), UUID.randomUUID().toString(), now, entries);
                }))
                .replaceWithVoid();
    }

    private static PrivacyDestruction.Entry entry(String table, String category, long records, String what) {
        return new PrivacyDestruction.Entry(table, category, records, PrivacyDestruction.DELETION,
                what + " of a person who withdrew profiling consent, deleted at once", WITHDRAWN);
    }

    private static Uni<Void> lockSubject(SqlClient tx, String subject) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(" + SUBJECT_LOCKS + ", hashtext($1))").execute(Tuple.of(subject))
                .replaceWithVoid();
    }

    /** The ledger entry id of {@code consent:<id>}; 0 for an id of another form (then the capture time alone orders). */
    static long entryId(String eventId) {
        if (eventId != null && eventId.startsWith("consent:")) {
            try {
                return Long.parseLong(eventId.substring("consent:".length()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
