package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Profiles: their facts and their derived attributes. {@link #recompute} derives the attributes from the facts with
 * one set-based statement, for one subject (on each event) or for everyone (on the schedule, with the RFM
 * quintiles, which are relative to everyone).
 */
@ApplicationScoped
public class Profiles {

    static final String COLUMNS = "subject_id, first_seen_at, last_seen_at, last_activity_at, interactions_7d, interactions_30d, "
            + "interactions_90d, interactions_total, visual_90d, text_90d, quick_90d, orders_30d, orders_total, revenue_30d, "
            + "revenue_total, last_order_at, top_category, rfm_recency, rfm_frequency, rfm_monetary, gender, birth_year, city";

    private static final String RECOMPUTE = "UPDATE profile p SET computed_at = $2::timestamptz, "
            + "last_activity_at = GREATEST(i.last_at, o.last_order), interactions_7d = COALESCE(i.c7, 0), "
            + "interactions_30d = COALESCE(i.c30, 0), interactions_90d = COALESCE(i.c90, 0), interactions_total = COALESCE(i.ct, 0), "
            + "visual_90d = COALESCE(i.v90, 0), text_90d = COALESCE(i.t90, 0), quick_90d = COALESCE(i.q90, 0), "
            + "orders_30d = COALESCE(o.o30, 0), orders_total = COALESCE(o.ot, 0), revenue_30d = COALESCE(o.r30, 0), "
            + "revenue_total = COALESCE(o.rt, 0), last_order_at = o.last_order, top_category = o.top "
            + "FROM profile q "
            + "LEFT JOIN (SELECT subject_id, max(at) AS last_at, count(*) FILTER (WHERE at > $2::timestamptz - interval '7 days') AS c7, "
            + "count(*) FILTER (WHERE at > $2::timestamptz - interval '30 days') AS c30, count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days') AS c90, "
            + "count(*) AS ct, count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days' AND content = 'visual') AS v90, "
            + "count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days' AND content = 'text') AS t90, "
            + "count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days' AND content = 'quick') AS q90 "
            + "FROM interaction WHERE /*one*/ GROUP BY subject_id) i ON i.subject_id = q.subject_id "
            + "LEFT JOIN (SELECT subject_id, max(at) AS last_order, count(*) FILTER (WHERE at > $2::timestamptz - interval '30 days') AS o30, "
            + "count(*) AS ot, COALESCE(sum(total) FILTER (WHERE currency = 'TRY' AND at > $2::timestamptz - interval '30 days'), 0) AS r30, "
            + "COALESCE(sum(total) FILTER (WHERE currency = 'TRY'), 0) AS rt, mode() WITHIN GROUP (ORDER BY top_category) AS top "
            + "FROM shop_order WHERE NOT cancelled AND /*one*/ GROUP BY subject_id) o "
            + "ON o.subject_id = q.subject_id "
            + "WHERE p.subject_id = q.subject_id AND /*one-q*/";

    private static final String RFM = "UPDATE profile p SET rfm_recency = r.r, rfm_frequency = r.f, rfm_monetary = r.m "
            + "FROM (SELECT subject_id, ntile(5) OVER (ORDER BY last_order_at) AS r, ntile(5) OVER (ORDER BY orders_total) AS f, "
            + "ntile(5) OVER (ORDER BY revenue_total) AS m FROM profile WHERE orders_total > 0) r WHERE p.subject_id = r.subject_id";

    private final Pool database;

    public Profiles(Pool database) {
        this.database = database;
    }

    /** Creates the profile if new and moves its first/last seen. */
    public Uni<Void> seen(SqlClient client, String subject, Instant at) {
        return client.preparedQuery("INSERT INTO profile (subject_id, first_seen_at, last_seen_at) VALUES ($1, $2, $2) "
                        + "ON CONFLICT (subject_id) DO UPDATE SET first_seen_at = LEAST(profile.first_seen_at, EXCLUDED.first_seen_at), "
                        + "last_seen_at = GREATEST(profile.last_seen_at, EXCLUDED.last_seen_at)")
                .execute(Tuple.of(subject, utc(at))).replaceWithVoid();
    }

    /** Sets the subject's demographics (null fields are left as they were). */
    public Uni<Void> demographics(SqlClient client, String subject, String gender, Integer birthYear, String city) {
        return client.preparedQuery("UPDATE profile SET gender = COALESCE($2, gender), birth_year = COALESCE($3, birth_year), "
                        + "city = COALESCE($4, city) WHERE subject_id = $1")
                .execute(Tuple.of(subject, gender, birthYear == null ? null : birthYear.shortValue(), city)).replaceWithVoid();
    }

    /** Recomputes one subject's attributes ({@code subject} null: everyone, then the RFM quintiles). */
    public Uni<Void> recompute(SqlClient client, String subject, Instant now) {
        // two statements, not one with "$1 IS NULL OR ...": a cached generic plan of that would scan every fact per event
        String sql = subject == null
                ? RECOMPUTE.replace("/*one*/", "$1::text IS NULL").replace("/*one-q*/", "$1::text IS NULL")
                : RECOMPUTE.replace("/*one*/", "subject_id = $1::text").replace("/*one-q*/", "q.subject_id = $1::text");
        Uni<Void> update = client.preparedQuery(sql).execute(Tuple.of(subject, utc(now))).replaceWithVoid();
        return subject == null ? update.chain(() -> client.query(RFM).execute()).replaceWithVoid() : update;
    }

    public Uni<ProfileFacts> find(SqlClient client, String subject) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM profile WHERE subject_id = $1").execute(Tuple.of(subject))
                .map(rows -> rows.size() == 0 ? null : facts(rows.iterator().next()));
    }

    /** A page of profiles after {@code afterSubject} (keyset paging, subject id order). */
    public Uni<List<ProfileFacts>> page(SqlClient client, String afterSubject, int size) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM profile WHERE subject_id > $1 ORDER BY subject_id LIMIT $2")
                .execute(Tuple.of(afterSubject == null ? "" : afterSubject, size)).map(rows -> {
                    List<ProfileFacts> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(facts(r)));
                    return out;
                });
    }

    static ProfileFacts facts(Row r) {
        return new ProfileFacts(r.getString("subject_id"), instant(r, "first_seen_at"), instant(r, "last_seen_at"),
                instant(r, "last_activity_at"), r.getInteger("interactions_7d"), r.getInteger("interactions_30d"),
                r.getInteger("interactions_90d"), r.getInteger("interactions_total"), r.getInteger("visual_90d"),
                r.getInteger("text_90d"), r.getInteger("quick_90d"), r.getInteger("orders_30d"), r.getInteger("orders_total"),
                r.getBigDecimal("revenue_30d"), r.getBigDecimal("revenue_total"), instant(r, "last_order_at"),
                r.getString("top_category"), r.getInteger("rfm_recency"), r.getInteger("rfm_frequency"), r.getInteger("rfm_monetary"),
                r.getString("gender"), r.getInteger("birth_year"), r.getString("city"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
