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
 * one set-based statement for one subject (on each event); {@link #recomputePage} does it for a page of subjects at a
 * time (on the schedule), with the RFM quintiles, which are relative to everyone ({@link #rfmThresholds}).
 */
@ApplicationScoped
public class Profiles {

    static final String COLUMNS = "subject_id, first_seen_at, last_seen_at, last_activity_at, interactions_7d, interactions_30d, "
            + "interactions_90d, interactions_total, visual_90d, text_90d, quick_90d, orders_30d, orders_total, try_orders_30d, "
            + "try_orders_total, revenue_30d, revenue_total, last_order_at, top_category, rfm_recency, rfm_frequency, rfm_monetary, "
            + "gender, birth_year, city";

    private static final String RECOMPUTE = "UPDATE profile p SET computed_at = $2::timestamptz, "
            + "last_activity_at = GREATEST(i.last_at, o.last_order), interactions_7d = COALESCE(i.c7, 0), "
            + "interactions_30d = COALESCE(i.c30, 0), interactions_90d = COALESCE(i.c90, 0), interactions_total = COALESCE(i.ct, 0), "
            + "visual_90d = COALESCE(i.v90, 0), text_90d = COALESCE(i.t90, 0), quick_90d = COALESCE(i.q90, 0), "
            + "orders_30d = COALESCE(o.o30, 0), orders_total = COALESCE(o.ot, 0), try_orders_30d = COALESCE(o.b30, 0), "
            + "try_orders_total = COALESCE(o.bt, 0), revenue_30d = COALESCE(o.r30, 0), "
            + "revenue_total = COALESCE(o.rt, 0), last_order_at = o.last_order, top_category = o.top, /*rfm*/ "
            + "FROM profile q "
            + "LEFT JOIN (SELECT subject_id, max(at) AS last_at, count(*) FILTER (WHERE at > $2::timestamptz - interval '7 days') AS c7, "
            + "count(*) FILTER (WHERE at > $2::timestamptz - interval '30 days') AS c30, count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days') AS c90, "
            + "count(*) AS ct, count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days' AND content = 'visual') AS v90, "
            + "count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days' AND content = 'text') AS t90, "
            + "count(*) FILTER (WHERE at > $2::timestamptz - interval '90 days' AND content = 'quick') AS q90 "
            + "FROM interaction WHERE /*one*/ GROUP BY subject_id) i ON i.subject_id = q.subject_id "
            + "LEFT JOIN (SELECT subject_id, max(at) AS last_order, count(*) FILTER (WHERE at > $2::timestamptz - interval '30 days') AS o30, "
            + "count(*) AS ot, count(*) FILTER (WHERE currency = 'TRY' AND total IS NOT NULL AND at > $2::timestamptz - interval '30 days') AS b30, "
            + "count(*) FILTER (WHERE currency = 'TRY' AND total IS NOT NULL) AS bt, "
            + "COALESCE(sum(total) FILTER (WHERE currency = 'TRY' AND at > $2::timestamptz - interval '30 days'), 0) AS r30, "
            + "COALESCE(sum(total) FILTER (WHERE currency = 'TRY'), 0) AS rt, mode() WITHIN GROUP (ORDER BY top_category) AS top "
            + "FROM shop_order WHERE NOT cancelled AND /*one*/ GROUP BY subject_id) o "
            + "ON o.subject_id = q.subject_id "
            + "WHERE p.subject_id = q.subject_id AND /*one-q*/ RETURNING " + qualified("p.");

    /** {@link #COLUMNS}, each prefixed with {@code table}. */
    private static String qualified(String table) {
        return table + COLUMNS.replace(", ", ", " + table);
    }

    /** One subject, on each of its events: RFM scores stay (they are relative to everyone), but go without orders. */
    private static final String ONE = RECOMPUTE.replace("/*one*/", "subject_id = $1::text").replace("/*one-q*/", "q.subject_id = $1::text")
            .replace("/*rfm*/", "rfm_recency = CASE WHEN COALESCE(o.ot, 0) = 0 THEN NULL ELSE p.rfm_recency END, "
                    + "rfm_frequency = CASE WHEN COALESCE(o.ot, 0) = 0 THEN NULL ELSE p.rfm_frequency END, "
                    + "rfm_monetary = CASE WHEN COALESCE(o.ot, 0) = 0 THEN NULL ELSE p.rfm_monetary END");

    /** A page of subjects ($1, an array), with the RFM quintile thresholds ($3..$14, {@link RfmThresholds}). */
    private static final String PAGE = RECOMPUTE.replace("/*one*/", "subject_id = ANY($1::text[])")
            .replace("/*one-q*/", "q.subject_id = ANY($1::text[])")
            .replace("/*rfm*/", "rfm_recency = " + score("o.last_order", 3) + ", rfm_frequency = " + score("o.ot", 7)
                    + ", rfm_monetary = " + score("COALESCE(o.rt, 0)", 11));

    /** 1 + the thresholds ($from..$from+3) the value reaches; null without orders. */
    private static String score(String value, int from) {
        StringBuilder sql = new StringBuilder("CASE WHEN COALESCE(o.ot, 0) = 0 THEN NULL ELSE 1");
        for (int k = 0; k < 4; k++) {
            sql.append(" + COALESCE((").append(value).append(" >= $").append(from + k).append(")::int, 0)");
        }
        return sql.append(" END").toString();
    }

    /**
     * The RFM quintile thresholds, over every customer with orders (n of them): the quintile of a value v is 1 + the
     * number of k in 1..4 with 5 × below(v) ≥ k × n, where below(v) is how many customers have a value strictly lower
     * than v. Ties get the same quintile. The k-th threshold is the least value reaching it (null when none does).
     */
    private static final String THRESHOLDS = "WITH t AS (SELECT subject_id, max(at) AS r, count(*) AS f, "
            + "COALESCE(sum(total) FILTER (WHERE currency = 'TRY'), 0) AS m FROM shop_order WHERE NOT cancelled GROUP BY subject_id), "
            + "c AS (SELECT r, f, m, rank() OVER (ORDER BY r) - 1 AS rb, rank() OVER (ORDER BY f) - 1 AS fb, "
            + "rank() OVER (ORDER BY m) - 1 AS mb, count(*) OVER () AS n FROM t) "
            + "SELECT " + thresholds("r") + ", " + thresholds("f") + ", " + thresholds("m") + " FROM c";

    private static String thresholds(String dimension) {
        StringBuilder sql = new StringBuilder();
        for (int k = 1; k <= 4; k++) {
            sql.append(k == 1 ? "" : ", ").append("min(").append(dimension).append(") FILTER (WHERE 5 * ").append(dimension)
                    .append("b >= ").append(k).append(" * n) AS ").append(dimension).append(k + 1);
        }
        return sql.toString();
    }

    /** The thresholds of quintiles 2..5 of recency (last order), frequency (orders) and monetary (TRY revenue). */
    public record RfmThresholds(List<OffsetDateTime> recency, List<Long> frequency, List<java.math.BigDecimal> monetary) {
    }

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

    /**
     * Recomputes one subject's attributes as of {@code now} (its RFM scores stay, or go without orders) and returns
     * the profile as recomputed; null without a profile.
     */
    public Uni<ProfileFacts> recompute(SqlClient client, String subject, Instant now) {
        return client.preparedQuery(ONE).execute(Tuple.of(subject, utc(now)))
                .map(rows -> rows.size() == 0 ? null : facts(rows.iterator().next()));
    }

    /**
     * The RFM thresholds of everyone now, from the orders themselves (so a run's scores depend on the facts only).
     * Reads only: no row is locked.
     */
    public Uni<RfmThresholds> rfmThresholds(SqlClient client) {
        return client.query(THRESHOLDS).execute().map(rows -> {
            Row r = rows.iterator().next();
            List<OffsetDateTime> recency = new ArrayList<>();
            List<Long> frequency = new ArrayList<>();
            List<java.math.BigDecimal> monetary = new ArrayList<>();
            for (int k = 2; k <= 5; k++) {
                recency.add(r.getOffsetDateTime("r" + k));
                frequency.add(r.getLong("f" + k));
                monetary.add(r.getBigDecimal("m" + k));
            }
            return new RfmThresholds(recency, frequency, monetary);
        });
    }

    /** The subject ids of the next page after {@code afterSubject} (subject id order; "" for the first page). Locks nothing. */
    public Uni<String[]> pageKeys(SqlClient client, String afterSubject, int size) {
        return client.preparedQuery("SELECT subject_id FROM profile WHERE subject_id > $1 ORDER BY subject_id LIMIT $2")
                .execute(Tuple.of(afterSubject, size)).map(rows -> {
                    String[] subjects = new String[rows.size()];
                    int i = 0;
                    for (Row r : rows) {
                        subjects[i++] = r.getString("subject_id");
                    }
                    return subjects;
                });
    }

    /**
     * Recomputes the profiles of {@code subjects} as of {@code now}, with RFM scores from {@code rfm}, and returns them
     * as recomputed (one statement: the update returns its rows; a profile erased meanwhile is left out): one short
     * transaction per page locks only that page's rows.
     */
    public Uni<List<ProfileFacts>> recomputePage(SqlClient tx, String[] subjects, Instant now, RfmThresholds rfm) {
        List<Object> parameters = new ArrayList<>(List.of(subjects, utc(now)));
        parameters.addAll(rfm.recency());
        parameters.addAll(rfm.frequency());
        parameters.addAll(rfm.monetary());
        return tx.preparedQuery(PAGE).execute(Tuple.from(parameters)).map(found -> {
            List<ProfileFacts> out = new ArrayList<>(found.size());
            found.forEach(r -> out.add(facts(r)));
            return out;
        });
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

    /** A profile, and whether its subject has marketing consent on WhatsApp as segment-service last heard it. */
    public record Reachable(ProfileFacts profile, boolean marketing) {
    }

    /**
     * {@link #page}, each profile with its subject's marketing consent on WhatsApp ({@code consent_state}, joined on its
     * primary key: the same one statement per page).
     */
    public Uni<List<Reachable>> pageWithConsent(SqlClient client, String afterSubject, int size) {
        return client.preparedQuery("SELECT " + qualified("p.") + ", COALESCE(c.state = 'granted', FALSE) AS marketing FROM profile p "
                        + "LEFT JOIN consent_state c ON c.subject_id = p.subject_id AND c.purpose = 'marketing' AND c.channel = 'whatsapp' "
                        + "WHERE p.subject_id > $1 ORDER BY p.subject_id LIMIT $2")
                .execute(Tuple.of(afterSubject == null ? "" : afterSubject, size)).map(rows -> {
                    List<Reachable> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new Reachable(facts(r), r.getBoolean("marketing"))));
                    return out;
                });
    }

    static ProfileFacts facts(Row r) {
        return new ProfileFacts(r.getString("subject_id"), instant(r, "first_seen_at"), instant(r, "last_seen_at"),
                instant(r, "last_activity_at"), r.getInteger("interactions_7d"), r.getInteger("interactions_30d"),
                r.getInteger("interactions_90d"), r.getInteger("interactions_total"), r.getInteger("visual_90d"),
                r.getInteger("text_90d"), r.getInteger("quick_90d"), r.getInteger("orders_30d"), r.getInteger("orders_total"),
                r.getInteger("try_orders_30d"), r.getInteger("try_orders_total"), r.getBigDecimal("revenue_30d"), r.getBigDecimal("revenue_total"), instant(r, "last_order_at"),
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
