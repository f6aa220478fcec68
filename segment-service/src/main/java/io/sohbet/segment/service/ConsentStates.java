package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.payload.ConsentChange;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

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

    private final Pool database;
    private final Memberships memberships;

    public ConsentStates(Pool database, Memberships memberships) {
        this.database = database;
        this.memberships = memberships;
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

    private Uni<Void> stopProfiling(SqlClient tx, String subject) {
        return memberships.removeSubjects(tx, List.of(subject), Instant.now())
                .chain(() -> tx.preparedQuery("WITH i AS (DELETE FROM interaction WHERE subject_id = $1), "
                        + "s AS (DELETE FROM sent_message WHERE subject_id = $1), o AS (DELETE FROM shop_order WHERE subject_id = $1) "
                        + "DELETE FROM profile WHERE subject_id = $1").execute(Tuple.of(subject)))
                .replaceWithVoid();
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
