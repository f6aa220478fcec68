package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads metrics from the stored facts. Attribution happens here, so it is the same whatever order events came in:
 * a message is opened (its recipient is a reader) when WhatsApp reported it read or when its recipient clicked its
 * campaign's tracked link, replied to it or converted for it: many people turn read receipts off and still act; a
 * conversion is an order within the attribution window after the latest read or click of a campaign message before
 * it (last touch), credited to that message; an opt-out is credited to the last campaign message sent within the window before it;
 * a reply to the message it quotes, else to the last campaign message within the reply window before it.
 */
@ApplicationScoped
public class EngagementQueries {

    /** Ways to group counts. */
    public enum Dimension { ALL, CAMPAIGN, VARIANT, TYPE, SEND_WINDOW, CATEGORY }

    private static final String AT = "COALESCE(m.sent_at, m.delivered_at, m.read_at, m.failed_at)";
    /** Replaced by the filters in use, so that the planner sees plain conditions it can use indexes for. */
    private static final String WHERE = "/*where*/";

    private static final String BASE_COLUMNS = "m.wamid, m.subject_id, m.campaign_id, m.variant, m.message_type, "
            + "m.error_code, m.read_at, " + AT + " AS at, (m.delivered_at IS NOT NULL OR m.read_at IS NOT NULL) AS delivered, "
            + "(m.read_at IS NOT NULL) AS read, (m.failed_at IS NOT NULL AND m.delivered_at IS NULL AND m.read_at IS NULL) AS failed, "
            + "m.folded, m.folded_clicked, m.folded_converted, m.folded_opted_out, m.folded_replied, "
            + "m.pricing_category, m.pricing_type, m.pricing_model, m.billable, m.recipient_country, m.folded_revenue, "
            + "COALESCE(m.delivered_at, m.read_at) AS billed_at";

    /**
     * $1 campaign, $2 variant, $3 type, $4 segment, $5 from, $6 to, $7 attribution s, $8 reply s, $9 zone. A folded
     * message (of an erased person, {@link ErasureFolding}) brings its frozen facts; only live subjects are looked up.
     */
    private static final String FACTS = "WITH base AS (SELECT " + BASE_COLUMNS + " FROM message_state m WHERE " + WHERE + "), "
            + "subjects AS (SELECT DISTINCT subject_id FROM base WHERE NOT folded), "
            + "clicks AS (SELECT c.subject_id, c.campaign_id, c.clicked_at AS at FROM link_click c "
            + "WHERE c.subject_id IN (SELECT subject_id FROM subjects) AND c.campaign_id IS NOT NULL), "
            // (MATERIALIZED: each is computed once, not again under every row or every use of a flag)
            // every read and every click of a campaign message is a touch; an order converts for the latest touch before
            // it, if that is within the attribution window (last touch)
            + "touch AS MATERIALIZED (SELECT m.wamid, m.subject_id, m.read_at AS at FROM message_state m WHERE m.campaign_id IS NOT NULL "
            + "AND m.read_at IS NOT NULL AND m.subject_id IN (SELECT subject_id FROM subjects) "
            + "UNION ALL SELECT m.wamid, m.subject_id, c.at FROM message_state m JOIN clicks c ON c.subject_id = m.subject_id "
            + "AND c.campaign_id = m.campaign_id), "
            + "converted AS MATERIALIZED (SELECT DISTINCT ON (o.order_id) t.wamid, o.total, o.currency FROM shop_order o JOIN touch t ON t.subject_id = o.subject_id "
            + "AND t.at <= o.occurred_at AND t.at > o.occurred_at - $7::bigint * interval '1 second' "
            + "WHERE NOT o.cancelled AND o.subject_id IN (SELECT subject_id FROM subjects) ORDER BY o.order_id, t.at DESC, t.wamid), "
            + "campaign_sent AS (SELECT m.wamid, m.subject_id, COALESCE(m.sent_at, m.delivered_at, m.read_at) AS at "
            + "FROM message_state m WHERE m.campaign_id IS NOT NULL AND m.subject_id IN (SELECT subject_id FROM subjects)), "
            + "opted AS MATERIALIZED (SELECT DISTINCT ON (x.event_id) c.wamid FROM opt_out x JOIN campaign_sent c ON c.subject_id = x.subject_id "
            + "AND c.at <= x.opted_out_at AND c.at > x.opted_out_at - $7::bigint * interval '1 second' "
            + "WHERE x.subject_id IN (SELECT subject_id FROM subjects) ORDER BY x.event_id, c.at DESC, c.wamid), "
            + "replied AS MATERIALIZED (SELECT DISTINCT ON (i.wamid) c.wamid, i.csat_score FROM inbound_message i JOIN campaign_sent c "
            + "ON c.subject_id = i.subject_id AND (i.context_wamid = c.wamid OR (c.at <= i.received_at "
            + "AND c.at > i.received_at - $8::bigint * interval '1 second')) WHERE i.subject_id IN (SELECT subject_id FROM subjects) "
            + "ORDER BY i.wamid, (i.context_wamid IS NOT DISTINCT FROM c.wamid) DESC, c.at DESC, c.wamid), "
            + "attributed AS MATERIALIZED (SELECT b.*, (b.folded_clicked OR EXISTS (SELECT 1 FROM clicks f WHERE f.subject_id = b.subject_id "
            + "AND f.campaign_id = b.campaign_id)) AS clicked, (b.folded_converted OR b.wamid IN (SELECT wamid FROM converted)) AS converted, "
            + "(b.folded_opted_out OR b.wamid IN (SELECT wamid FROM opted)) AS opted_out, "
            + "(b.folded_replied OR b.wamid IN (SELECT wamid FROM replied)) AS replied, "
            + "extract(hour FROM b.at AT TIME ZONE $9::text)::int AS send_hour, "
            // the TRY total of the orders credited to the message (attributed revenue)
            + "COALESCE(b.folded_revenue, 0) + COALESCE((SELECT sum(v.total) FROM converted v WHERE v.wamid = b.wamid "
            + "AND v.currency = 'TRY'), 0) AS revenue, "
            // charged: delivered, priced per message (PMP), and neither free type; the price is the card's for the
            // recipient's country (else '*') and the category, in effect on the day of delivery (business time zone): of the
            // volume tier in effect at delivery when the card has a price for it, else the base rate (VolumeTiers)
            + "(b.delivered AND b.pricing_category IS NOT NULL AND COALESCE(b.pricing_model, 'PMP') = 'PMP' "
            + "AND (b.pricing_type = 'regular' OR (b.pricing_type IS NULL AND b.billable))) AS charged, "
            + "(b.delivered AND b.pricing_type IN ('free_customer_service', 'free_entry_point')) AS free, "
            + "rc.price AS rate, rc.tier AS rate_tier FROM base b "
            // the tier in effect at delivery: reported last before it in its month (tiers are telescopic)
            + "LEFT JOIN LATERAL (SELECT v.tier FROM volume_tier v WHERE b.pricing_category IN ('utility', 'authentication') "
            + "AND v.country = b.recipient_country AND v.category = b.pricing_category "
            + "AND v.effective_month = to_char(b.billed_at AT TIME ZONE $9::text, 'YYYY-MM') AND v.tier_update_time <= b.billed_at "
            + "ORDER BY v.tier_update_time DESC LIMIT 1) vt ON TRUE "
            + "LEFT JOIN LATERAL (SELECT r.price, r.tier FROM rate_card r WHERE r.category = b.pricing_category "
            + "AND (r.country = b.recipient_country OR r.country = '*') AND r.effective_from <= (b.billed_at AT TIME ZONE $9::text)::date "
            + "AND (r.tier = '' OR r.tier = vt.tier) ORDER BY (r.country = '*'), (r.tier = ''), r.effective_from DESC LIMIT 1) rc ON TRUE), "
            // a click, reply, button tap or attributed order means the message was read, receipt or not (readers); such a
            // message was delivered, and did not fail
            + "flags AS (SELECT a.*, (a.read OR a.clicked OR a.replied OR a.converted) AS opened FROM attributed a) ";

    private static final String COUNTS = FACTS + "SELECT CASE $10::text WHEN 'CAMPAIGN' THEN campaign_id WHEN 'VARIANT' THEN variant "
            + "WHEN 'TYPE' THEN message_type WHEN 'CATEGORY' THEN pricing_category WHEN 'SEND_WINDOW' THEN CASE WHEN send_hour < 9 THEN '00-09' WHEN send_hour < 12 "
            + "THEN '09-12' WHEN send_hour < 15 THEN '12-15' WHEN send_hour < 18 THEN '15-18' WHEN send_hour < 21 THEN '18-21' "
            + "ELSE '21-24' END ELSE 'all' END AS dimension, count(*) AS sent, count(*) FILTER (WHERE delivered OR opened) AS delivered, "
            + "count(*) FILTER (WHERE read) AS read, count(*) FILTER (WHERE opened) AS opened, "
            + "count(*) FILTER (WHERE failed AND NOT opened) AS failed, "
            + "count(DISTINCT subject_id) AS recipients, count(DISTINCT subject_id) FILTER (WHERE opened) AS readers, "
            + "count(DISTINCT subject_id) FILTER (WHERE clicked) AS clickers, count(DISTINCT subject_id) FILTER (WHERE converted) AS converters, "
            + "count(DISTINCT subject_id) FILTER (WHERE opted_out) AS opted_out, count(DISTINCT subject_id) FILTER (WHERE replied) AS repliers, "
            + "count(DISTINCT subject_id) FILTER (WHERE replied OR clicked) AS engaged, "
            + "count(*) FILTER (WHERE charged) AS charged, count(*) FILTER (WHERE charged AND rate IS NULL) AS unpriced, "
            + "count(*) FILTER (WHERE charged AND rate_tier <> '') AS tiered, "
            // one scale for every answer (the card's 6 decimals, money's 2), however many rows a group has
            + "count(*) FILTER (WHERE free) AS free, COALESCE(sum(rate) FILTER (WHERE charged), 0)::numeric(20, 6) AS cost, "
            + "COALESCE(sum(revenue), 0)::numeric(20, 2) AS revenue FROM flags GROUP BY 1 ORDER BY 1";

    private static final String FAILURES = FACTS + "SELECT error_code, count(*) AS messages FROM flags WHERE failed AND NOT opened "
            + "GROUP BY error_code ORDER BY messages DESC, error_code";

    private static final String READ_HOURS = FACTS + "SELECT extract(hour FROM read_at AT TIME ZONE $9::text)::int AS hour, "
            + "count(*) AS reads FROM flags WHERE read_at IS NOT NULL GROUP BY 1 ORDER BY 1";

    private final Pool database;
    private final MetricsConfig config;

    public EngagementQueries(Pool database, MetricsConfig config) {
        this.database = database;
        this.config = config;
    }

    public Uni<List<Counts>> counts(MetricFilter filter, Dimension by) {
        return database.preparedQuery(sql(COUNTS, filter)).execute(params(filter).addString(by.name())).map(rows -> {
            List<Counts> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Counts(r.getString("dimension"), r.getLong("sent"), r.getLong("delivered"), r.getLong("read"),
                        r.getLong("opened"), r.getLong("failed"), r.getLong("recipients"), r.getLong("readers"), r.getLong("clickers"),
                        r.getLong("converters"), r.getLong("opted_out"), r.getLong("repliers"), r.getLong("engaged"),
                        new Counts.Spend(config.cost().currency(), r.getLong("charged"), r.getLong("free"), r.getLong("unpriced"),
                                r.getLong("tiered"), r.getBigDecimal("cost"),
                                r.getBigDecimal("revenue"))));
            }
            return out;
        });
    }

    /** Failed messages by Cloud API error code (no code: {@code null}). */
    public Uni<Map<Integer, Long>> failures(MetricFilter filter) {
        return database.preparedQuery(sql(FAILURES, filter)).execute(params(filter)).map(rows -> {
            Map<Integer, Long> out = new LinkedHashMap<>();
            rows.forEach(r -> out.put(r.getInteger("error_code"), r.getLong("messages")));
            return out;
        });
    }

    /** Reads by hour of day (0–23) in the business time zone. */
    public Uni<long[]> readHours(MetricFilter filter) {
        return database.preparedQuery(sql(READ_HOURS, filter)).execute(params(filter)).map(EngagementQueries::hours);
    }

    /** One subject's reads by hour of day in the business time zone, over all time. */
    public Uni<long[]> subjectReadHours(String subjectId) {
        return database.preparedQuery("SELECT extract(hour FROM read_at AT TIME ZONE $2::text)::int AS hour, count(*) AS reads "
                        + "FROM message_state WHERE subject_id = $1 AND read_at IS NOT NULL GROUP BY 1")
                .execute(Tuple.of(subjectId, PostgresZones.of(config.timeZone()))).map(EngagementQueries::hours);
    }

    /** Reads by hour of day (business time zone) of each of a batch of subjects; subjects without reads are absent. */
    public Uni<Map<String, long[]>> subjectsReadHours(List<String> subjectIds) {
        return database.preparedQuery("SELECT subject_id, extract(hour FROM read_at AT TIME ZONE $2::text)::int AS hour, "
                        + "count(*) AS reads FROM message_state WHERE subject_id = ANY($1) AND read_at IS NOT NULL GROUP BY 1, 2")
                .execute(Tuple.of(subjectIds.toArray(String[]::new), PostgresZones.of(config.timeZone()))).map(rows -> {
                    Map<String, long[]> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getString("subject_id"), s -> new long[24])[r.getInteger("hour")] =
                            r.getLong("reads"));
                    return out;
                });
    }

    /**
     * Survey answers in the range, each credited like a reply (a folded answer: to the campaign frozen on it); per
     * campaign when one is given. An answer counts when it counts by itself (the survey's button id) or when the
     * message it is credited to is a CSAT survey ({@link CsatAnswer}).
     */
    public Uni<long[]> csatScores(MetricFilter filter) {
        String sql = "SELECT s.csat_score, count(*) AS answers FROM (SELECT DISTINCT ON (i.wamid) i.csat_score, "
                + "i.csat_explicit OR COALESCE(m.csat_survey, FALSE) AS counts, "
                + "CASE WHEN i.folded THEN i.credited_campaign_id ELSE m.campaign_id END AS campaign_id "
                + "FROM inbound_message i LEFT JOIN message_state m ON NOT i.folded AND m.subject_id = i.subject_id "
                + "AND m.campaign_id IS NOT NULL "
                + "AND (i.context_wamid = m.wamid OR (COALESCE(m.sent_at, m.delivered_at, m.read_at) <= i.received_at "
                + "AND COALESCE(m.sent_at, m.delivered_at, m.read_at) > i.received_at - $4::bigint * interval '1 second')) "
                + "WHERE i.csat_score IS NOT NULL AND i.received_at >= $2 AND i.received_at < $3 "
                + "ORDER BY i.wamid, (i.context_wamid IS NOT DISTINCT FROM m.wamid) DESC, "
                + "COALESCE(m.sent_at, m.delivered_at, m.read_at) DESC NULLS LAST) s "
                + "WHERE s.counts AND ($1::text IS NULL OR s.campaign_id = $1::text) GROUP BY s.csat_score";
        return database.preparedQuery(sql).execute(Tuple.of(filter.campaignId(), utc(filter.from()), utc(filter.to()),
                config.replyWindow().toSeconds())).map(rows -> {
                    long[] byScore = new long[6];
                    rows.forEach(r -> byScore[r.getInteger("csat_score")] = r.getLong("answers"));
                    return byScore;
                });
    }

    /**
     * The attributed facts of each of one subject's live messages (wamid → clicked, converted, opted out, replied, and
     * the TRY revenue of the orders credited to it), by
     * the very statement every figure uses, without filters; for {@link ErasureFolding}.
     */
    Uni<Map<String, MessageFacts>> subjectFacts(io.vertx.mutiny.sqlclient.SqlConnection tx, String subjectId) {
        String sql = FACTS.replace(WHERE, "m.subject_id = $10::text AND NOT m.folded AND $1::text IS NULL AND $2::text IS NULL "
                + "AND $3::text IS NULL AND $4::text IS NULL AND $5::timestamptz IS NULL AND $6::timestamptz IS NULL")
                + "SELECT wamid, clicked, converted, opted_out, replied, revenue FROM flags";
        return tx.preparedQuery(sql).execute(Tuple.from(new Object[] {null, null, null, null, null, null,
                config.attributionWindow().toSeconds(), config.replyWindow().toSeconds(), PostgresZones.of(config.timeZone()), subjectId}))
                .map(rows -> {
                    Map<String, MessageFacts> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getString("wamid"), new MessageFacts(r.getBoolean("clicked"), r.getBoolean("converted"),
                            r.getBoolean("opted_out"), r.getBoolean("replied"), r.getBigDecimal("revenue"))));
                    return out;
                });
    }

    /** Clicks per tracked link of a campaign: total, unique clickers, repeats. */
    public Uni<List<LinkClicks>> links(String campaignId, java.time.Instant from, java.time.Instant to) {
        return database.preparedQuery("SELECT link_id, min(target) AS target, count(*) AS clicks, count(DISTINCT subject_id) AS clickers "
                        + "FROM link_click WHERE ($1::text IS NULL OR campaign_id = $1::text) AND clicked_at >= $2 AND clicked_at < $3 "
                        + "GROUP BY link_id ORDER BY clicks DESC, link_id LIMIT 100")
                .execute(Tuple.of(campaignId, utc(from), utc(to))).map(rows -> {
                    List<LinkClicks> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new LinkClicks(r.getString("link_id"), r.getString("target"), r.getLong("clicks"),
                            r.getLong("clickers"), r.getLong("clicks") - r.getLong("clickers"))));
                    return out;
                });
    }

    /** What {@link #subjectFacts} attributes to one message. */
    record MessageFacts(boolean clicked, boolean converted, boolean optedOut, boolean replied, java.math.BigDecimal revenue) {

        static final MessageFacts NONE = new MessageFacts(false, false, false, false, java.math.BigDecimal.ZERO);
    }

    public record LinkClicks(String linkId, String target, long clicks, long uniqueClickers, long repeatClicks) {
    }

    private static long[] hours(RowSet<Row> rows) {
        long[] hours = new long[24];
        rows.forEach(r -> hours[r.getInteger("hour")] = r.getLong("reads"));
        return hours;
    }

    /**
     * The statement with only the filters in use; an unused filter keeps its parameter number with a condition that is
     * always true, so the parameters stay the same for every combination.
     */
    static String sql(String template, MetricFilter f) {
        StringBuilder where = new StringBuilder();
        where.append(f.campaignId() != null ? "m.campaign_id = $1::text" : "$1::text IS NULL");
        where.append(f.variant() != null ? " AND m.variant = $2::text" : " AND $2::text IS NULL");
        where.append(f.messageType() != null ? " AND m.message_type = $3::text" : " AND $3::text IS NULL");
        where.append(" AND " + AT + " >= $5 AND " + AT + " < $6");
        if (f.segmentId() == null) {
            where.append(" AND $4::text IS NULL");
        } else {
            // live messages by membership at send time (a semi-join, as before); folded ones by the segments frozen on
            // them, in a branch of their own so that the live branch keeps its plan
            String common = where.toString();
            where.append(" AND NOT m.folded AND EXISTS (SELECT 1 FROM segment_membership s "
                    + "WHERE s.segment_id = $4::text AND s.subject_id = m.subject_id AND s.entered_at <= " + AT
                    + " AND (s.left_at IS NULL OR s.left_at > " + AT + ")) UNION ALL SELECT " + BASE_COLUMNS
                    + " FROM message_state m WHERE " + common + " AND m.folded AND $4::text = ANY (m.folded_segments)");
        }
        return template.replace(WHERE, where);
    }

    private Tuple params(MetricFilter f) {
        return Tuple.from(new Object[] {f.campaignId(), f.variant(), f.messageType(), f.segmentId(), utc(f.from()), utc(f.to()),
                config.attributionWindow().toSeconds(), config.replyWindow().toSeconds(), PostgresZones.of(config.timeZone())});
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
