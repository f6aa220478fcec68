package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies computed memberships: inserts those that are new, deletes those that ended, and writes a
 * {@code segment.membership} event to the membership outbox for each row that actually changed (insert-if-absent and
 * delete-returning, so two evaluations racing for one subject announce each change once). Call inside a transaction.
 * Only memberships of the segments that were evaluated change (a broken segment's members are left alone).
 *
 * <p>All of it is one statement, whatever the number of subjects: the difference with the stored memberships is taken
 * in PostgreSQL, and each changed row's event is written as a compact row of {@code membership_outbox} (segment,
 * subject, entered or left, time), from which the relay writes the event ({@link #event}), so that neither the stored
 * memberships nor the changed rows travel to the service and back. A first full run writes millions of memberships and
 * as many events this way.
 */
@ApplicationScoped
public class Memberships {

    private static final String SOURCE = "/sohbet/segment-service";

    /** The changed rows ({@code changed}: segment_id, subject_id, entered) as rows of the membership outbox at $now. */
    private static final String ANNOUNCE = "INSERT INTO membership_outbox (segment_id, subject_id, entered, at) ";

    /**
     * $1, $2: the computed memberships (segment, subject); $3: the subjects evaluated; $4: the segments evaluated;
     * $5: now.
     */
    private static final String APPLY = "WITH computed AS (SELECT s, u FROM unnest($1::text[], $2::text[]) AS t(s, u)), "
            + "stored AS (SELECT segment_id, subject_id FROM segment_member WHERE subject_id = ANY($3::text[])), "
            + "entered AS (INSERT INTO segment_member (segment_id, subject_id, since) SELECT c.s, c.u, $5::timestamptz FROM computed c "
            + "WHERE NOT EXISTS (SELECT 1 FROM stored m WHERE m.segment_id = c.s AND m.subject_id = c.u) "
            + "ON CONFLICT DO NOTHING RETURNING segment_id, subject_id), "
            + "gone AS (DELETE FROM segment_member m USING stored s WHERE m.segment_id = s.segment_id AND m.subject_id = s.subject_id "
            + "AND s.segment_id = ANY($4::text[]) AND NOT EXISTS (SELECT 1 FROM computed c WHERE c.s = s.segment_id AND c.u = s.subject_id) "
            + "RETURNING m.segment_id, m.subject_id), "
            + "changed AS (SELECT segment_id, subject_id, TRUE AS entered FROM entered UNION ALL SELECT segment_id, subject_id, FALSE FROM gone), "
            + "announced AS (" + ANNOUNCE + "SELECT segment_id, subject_id, entered, $5::timestamptz FROM changed RETURNING 1) "
            + "SELECT count(*) AS changes FROM announced";

    /**
     * @param computed subject → the segments it belongs to now, out of {@code evaluated}
     * @param evaluated the ids of every segment the evaluation decided about
     */
    public Uni<Integer> apply(SqlClient tx, Map<String, Set<String>> computed, Set<String> evaluated, Instant now) {
        return apply(tx, computed, evaluated, now, RunPhases.NONE);
    }

    /** {@link #apply(SqlClient, Map, Set, Instant)}, timed in {@code phases}. */
    public Uni<Integer> apply(SqlClient tx, Map<String, Set<String>> computed, Set<String> evaluated, Instant now, RunPhases phases) {
        if (computed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        // in key order (segment, subject): the rows go next to each other in the primary key's pages
        List<String[]> pairs = new ArrayList<>();
        new TreeMap<>(computed).forEach((subject, segments) -> segments.forEach(segment -> pairs.add(new String[] {segment, subject})));
        pairs.sort(Comparator.comparing((String[] p) -> p[0])); // stable: subjects stay in order within a segment
        String[] segments = new String[pairs.size()];
        String[] subjects = new String[pairs.size()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = pairs.get(i)[0];
            subjects[i] = pairs.get(i)[1];
        }
        Tuple parameters = Tuple.from(List.of(segments, subjects, computed.keySet().toArray(new String[0]),
                evaluated.toArray(new String[0]), now.atOffset(ZoneOffset.UTC)));
        return phases.time(RunPhases.Phase.WRITE, () -> tx.preparedQuery(APPLY).execute(parameters))
                .map(rows -> rows.iterator().next().getLong("changes").intValue());
    }

    /** Removes every membership of a segment (it was deleted), announcing each. */
    public Uni<Integer> removeSegment(SqlClient tx, String segmentId, Instant now) {
        return removed(tx, "segment_id = $1", segmentId, now);
    }

    /** Removes every membership of these subjects (their profiles were deleted), announcing each. */
    public Uni<Integer> removeSubjects(SqlClient tx, List<String> subjects, Instant now) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return removed(tx, "subject_id = ANY($1)", subjects.toArray(new String[0]), now);
    }

    /** Deletes the memberships {@code where} selects ($1: {@code value}) and announces each as left; how many. */
    private Uni<Integer> removed(SqlClient tx, String where, Object value, Instant now) {
        return tx.preparedQuery("WITH gone AS (DELETE FROM segment_member WHERE " + where + " RETURNING segment_id, subject_id), "
                        + "announced AS (" + ANNOUNCE + "SELECT segment_id, subject_id, FALSE, $2::timestamptz FROM gone RETURNING 1) "
                        + "SELECT count(*) AS changes FROM announced")
                .execute(Tuple.of(value, now.atOffset(ZoneOffset.UTC))).map(rows -> rows.iterator().next().getLong("changes").intValue());
    }

    /**
     * The event of a membership change, as the relay publishes it: deterministic (its id names the segment, the subject,
     * the kind and the time), so a row published twice is dropped by consumers as a repeat.
     */
    public static CloudEvent event(String segment, String subject, boolean entered, Instant at) {
        String kind = entered ? SegmentMembership.ENTERED : SegmentMembership.LEFT;
        return CloudEvent.of(Topics.SEGMENT_MEMBERSHIP, "membership:" + segment + ":" + subject + ":" + kind + ":" + at.toEpochMilli(),
                SOURCE, at, subject, new SegmentMembership(segment, kind, at));
    }
}
