package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies computed memberships: inserts those that are new, deletes those that ended, and writes a
 * {@code segment.membership} event to the outbox for each row that actually changed (insert-if-absent and
 * delete-returning, so two evaluations racing for one subject announce each change once). Call inside a transaction.
 * Only memberships of the segments that were evaluated change (a broken segment's members are left alone).
 */
@ApplicationScoped
public class Memberships {

    private static final String SOURCE = "/sohbet/segment-service";

    /**
     * @param computed subject → the segments it belongs to now, out of {@code evaluated}
     * @param evaluated the ids of every segment the evaluation decided about
     */
    public Uni<Integer> apply(SqlClient tx, Map<String, Set<String>> computed, Set<String> evaluated, Instant now) {
        return apply(tx, computed, evaluated, now, RunPhases.NONE);
    }

    /** {@link #apply(SqlClient, Map, Set, Instant)}, timing its steps in {@code phases}. */
    public Uni<Integer> apply(SqlClient tx, Map<String, Set<String>> computed, Set<String> evaluated, Instant now, RunPhases phases) {
        if (computed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String[] subjects = computed.keySet().toArray(new String[0]);
        return phases.time(RunPhases.Phase.DIFF, () -> tx.preparedQuery("SELECT segment_id, subject_id FROM segment_member WHERE subject_id = ANY($1)")
                .execute(Tuple.of(subjects))).flatMap(rows -> {
                    Map<String, Set<String>> existing = new HashMap<>();
                    for (Row r : rows) {
                        existing.computeIfAbsent(r.getString("subject_id"), s -> new HashSet<>()).add(r.getString("segment_id"));
                    }
                    List<String> enterSegments = new ArrayList<>();
                    List<String> enterSubjects = new ArrayList<>();
                    List<String> leaveSegments = new ArrayList<>();
                    List<String> leaveSubjects = new ArrayList<>();
                    computed.forEach((subject, now_) -> {
                        Set<String> before = existing.getOrDefault(subject, Set.of());
                        for (String segment : now_) {
                            if (!before.contains(segment)) {
                                enterSegments.add(segment);
                                enterSubjects.add(subject);
                            }
                        }
                        for (String segment : before) {
                            if (!now_.contains(segment) && evaluated.contains(segment)) {
                                leaveSegments.add(segment);
                                leaveSubjects.add(subject);
                            }
                        }
                    });
                    return change(tx, "INSERT INTO segment_member (segment_id, subject_id, since) SELECT s, u, $3::timestamptz FROM "
                            + "unnest($1::text[], $2::text[]) AS t(s, u) ON CONFLICT DO NOTHING RETURNING segment_id, subject_id",
                            enterSegments, enterSubjects, now, SegmentMembership.ENTERED, phases)
                            .flatMap(entered -> change(tx, "DELETE FROM segment_member m USING unnest($1::text[], $2::text[]) AS t(s, u) "
                                            + "WHERE m.segment_id = t.s AND m.subject_id = t.u AND $3::timestamptz IS NOT NULL "
                                            + "RETURNING m.segment_id, m.subject_id",
                                    leaveSegments, leaveSubjects, now, SegmentMembership.LEFT, phases).map(left -> entered + left));
                });
    }

    /** Removes every membership of a segment (it was deleted), announcing each. */
    public Uni<Integer> removeSegment(SqlClient tx, String segmentId, Instant now) {
        return tx.preparedQuery("DELETE FROM segment_member WHERE segment_id = $1 RETURNING segment_id, subject_id")
                .execute(Tuple.of(segmentId)).flatMap(rows -> announce(tx, rows, now, SegmentMembership.LEFT));
    }

    private Uni<Integer> change(SqlClient tx, String sql, List<String> segments, List<String> subjects, Instant now, String kind,
            RunPhases phases) {
        if (segments.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return phases.time(RunPhases.Phase.MEMBERSHIPS, () -> tx.preparedQuery(sql).execute(Tuple.of(segments.toArray(new String[0]),
                        subjects.toArray(new String[0]), now.atOffset(ZoneOffset.UTC))))
                .flatMap(rows -> phases.time(RunPhases.Phase.OUTBOX, () -> announce(tx, rows, now, kind)));
    }

    /**
     * Writes one event per changed row to the outbox, in one statement (a first full run changes millions of rows:
     * arrays through unnest cost a fraction of one batched INSERT per row). Events are written in one pass
     * ({@link CloudEventSerializer#encode}), not built as a tree first.
     */
    private Uni<Integer> announce(SqlClient tx, io.vertx.mutiny.sqlclient.RowSet<Row> changed, Instant now, String kind) {
        int size = changed.size();
        if (size == 0) {
            return Uni.createFrom().item(0);
        }
        String[] keys = new String[size];
        String[] events = new String[size];
        int i = 0;
        for (Row r : changed) {
            String segment = r.getString("segment_id");
            String subject = r.getString("subject_id");
            keys[i] = subject;
            events[i++] = new String(CloudEventSerializer.encode(Topics.SEGMENT_MEMBERSHIP, "membership:" + segment + ":" + subject
                    + ":" + kind + ":" + now.toEpochMilli(), SOURCE, now, subject, new SegmentMembership(segment, kind, now)),
                    StandardCharsets.UTF_8);
        }
        return tx.preparedQuery("INSERT INTO outbox (topic, event_key, event, created_at) SELECT $1, t.k, t.e, $4 "
                        + "FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(k, e, i) ORDER BY t.i")
                .execute(Tuple.of(Topics.SEGMENT_MEMBERSHIP, keys, events, now.atOffset(ZoneOffset.UTC))).replaceWith(size);
    }
}
