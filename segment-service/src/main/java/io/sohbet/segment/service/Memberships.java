package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies computed memberships: inserts those that are new, deletes those that ended, and writes a
 * {@code segment.membership} event to the outbox for each row that actually changed (insert-if-absent and
 * delete-returning, so two evaluations racing for one subject announce each change once). Call inside a transaction.
 * Only memberships of the segments that were evaluated change (a broken segment's members are left alone).
 *
 * <p>All of it is one statement, whatever the number of subjects: the difference with the stored memberships is taken
 * in PostgreSQL, and each changed row's event is written from a template of the event (the serializer's own output
 * with the segment and the subject left open), so that neither the stored memberships nor the changed rows travel to
 * the service and back. A first full run writes millions of memberships and as many events this way.
 */
@ApplicationScoped
public class Memberships {

    private static final String SOURCE = "/sohbet/segment-service";
    private static final String SEGMENT = "{{segment}}";
    private static final String SUBJECT = "{{subject}}";
    private static final Pattern OPENINGS = Pattern.compile(Pattern.quote(SEGMENT) + "|" + Pattern.quote(SUBJECT));

    /** Where the segment and the subject go in an event, in order (the same for every kind and time). */
    private static final List<String> SLOTS = slots(template(SegmentMembership.ENTERED, Instant.EPOCH));

    /**
     * $1, $2: the computed memberships (segment, subject); $3: the subjects evaluated; $4: the segments evaluated;
     * $5: now; $6, $7: the event templates of entering and leaving ({@link #pieces}); $8: the topic.
     */
    private static final String APPLY = "WITH computed AS (SELECT s, u FROM unnest($1::text[], $2::text[]) AS t(s, u)), "
            + "stored AS (SELECT segment_id, subject_id FROM segment_member WHERE subject_id = ANY($3::text[])), "
            + "entered AS (INSERT INTO segment_member (segment_id, subject_id, since) SELECT c.s, c.u, $5::timestamptz FROM computed c "
            + "WHERE NOT EXISTS (SELECT 1 FROM stored m WHERE m.segment_id = c.s AND m.subject_id = c.u) "
            + "ON CONFLICT DO NOTHING RETURNING segment_id, subject_id), "
            + "gone AS (DELETE FROM segment_member m USING stored s WHERE m.segment_id = s.segment_id AND m.subject_id = s.subject_id "
            + "AND s.segment_id = ANY($4::text[]) AND NOT EXISTS (SELECT 1 FROM computed c WHERE c.s = s.segment_id AND c.u = s.subject_id) "
            + "RETURNING m.segment_id, m.subject_id), "
            + "changed AS (SELECT segment_id, subject_id, $6::text[] AS p FROM entered UNION ALL SELECT segment_id, subject_id, $7::text[] FROM gone), "
            + "announced AS (INSERT INTO outbox (topic, event_key, event, created_at) SELECT $8, c.subject_id, " + event() + ", $5::timestamptz "
            + "FROM changed c, LATERAL (SELECT left(substr(to_json(c.segment_id)::text, 2), -1) AS segment, "
            + "left(substr(to_json(c.subject_id)::text, 2), -1) AS subject) j RETURNING 1) "
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
                evaluated.toArray(new String[0]), now.atOffset(ZoneOffset.UTC), pieces(SegmentMembership.ENTERED, now),
                pieces(SegmentMembership.LEFT, now), Topics.SEGMENT_MEMBERSHIP));
        return phases.time(RunPhases.Phase.WRITE, () -> tx.preparedQuery(APPLY).execute(parameters))
                .map(rows -> rows.iterator().next().getLong("changes").intValue());
    }

    /** Removes every membership of a segment (it was deleted), announcing each. */
    public Uni<Integer> removeSegment(SqlClient tx, String segmentId, Instant now) {
        return tx.preparedQuery("DELETE FROM segment_member WHERE segment_id = $1 RETURNING segment_id, subject_id")
                .execute(Tuple.of(segmentId)).flatMap(rows -> announce(tx, rows, now, SegmentMembership.LEFT));
    }

    /** Removes every membership of these subjects (their profiles were deleted), announcing each. */
    public Uni<Integer> removeSubjects(SqlClient tx, List<String> subjects, Instant now) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("DELETE FROM segment_member WHERE subject_id = ANY($1) RETURNING segment_id, subject_id")
                .execute(Tuple.of(subjects.toArray(new String[0]))).flatMap(rows -> announce(tx, rows, now, SegmentMembership.LEFT));
    }

    /** The event of a membership change, as the serializer writes it, with the segment and the subject open. */
    static String template(String kind, Instant now) {
        return event(SEGMENT, SUBJECT, kind, now);
    }

    static String event(String segment, String subject, String kind, Instant now) {
        return new String(CloudEventSerializer.encode(Topics.SEGMENT_MEMBERSHIP, "membership:" + segment + ":" + subject + ":" + kind
                + ":" + now.toEpochMilli(), SOURCE, now, subject, new SegmentMembership(segment, kind, now)), StandardCharsets.UTF_8);
    }

    /** The template's text between the openings ({@link #SLOTS}): one more piece than openings. */
    static String[] pieces(String kind, Instant now) {
        String template = template(kind, now);
        if (!slots(template).equals(SLOTS)) {
            throw new IllegalStateException("the membership event's fields moved");
        }
        return OPENINGS.split(template, -1);
    }

    private static List<String> slots(String template) {
        List<String> slots = new ArrayList<>();
        Matcher m = OPENINGS.matcher(template);
        while (m.find()) {
            slots.add(m.group().equals(SEGMENT) ? "j.segment" : "j.subject");
        }
        return slots;
    }

    /** The SQL expression of an event: the pieces of its template ({@code c.p}) with the JSON-escaped ids between them. */
    private static String event() {
        StringBuilder sql = new StringBuilder("c.p[1]");
        for (int i = 0; i < SLOTS.size(); i++) {
            sql.append(" || ").append(SLOTS.get(i)).append(" || c.p[").append(i + 2).append(']');
        }
        return sql.toString();
    }

    /** One event per changed row, in one statement (the deletion of a whole segment). */
    private Uni<Integer> announce(SqlClient tx, RowSet<Row> changed, Instant now, String kind) {
        int size = changed.size();
        if (size == 0) {
            return Uni.createFrom().item(0);
        }
        String[] keys = new String[size];
        String[] events = new String[size];
        int i = 0;
        for (Row r : changed) {
            String subject = r.getString("subject_id");
            keys[i] = subject;
            events[i++] = event(r.getString("segment_id"), subject, kind, now);
        }
        return tx.preparedQuery("INSERT INTO outbox (topic, event_key, event, created_at) SELECT $1, t.k, t.e, $4 "
                        + "FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(k, e, i) ORDER BY t.i")
                .execute(Tuple.of(Topics.SEGMENT_MEMBERSHIP, keys, events, now.atOffset(ZoneOffset.UTC))).replaceWith(size);
    }
}
