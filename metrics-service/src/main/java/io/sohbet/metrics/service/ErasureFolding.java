package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.MessageIds;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Erases a person from metrics while every past figure stays exactly what it was: what their rows contribute is
 * worked out by the rules the read queries use and frozen on the rows, then everything that pointed to the person is
 * replaced or dropped. Runs in the caller's transaction ({@link #fold}); a second fold of the same subject finds nothing.
 * <ul>
 * <li>Campaign messages ({@code message_state}): {@code folded} with their attributed facts (clicked, converted,
 * opted out, replied, and the revenue of the orders credited: {@link EngagementQueries#subjectFacts}, the statement every
 * figure uses) and the segments the
 * person was a member of at the message's time ({@code folded_segments}); the read queries take these instead of
 * attributing folded rows.</li>
 * <li>Survey answers and replies ({@code inbound_message}, {@code feedback}): the campaign they are credited to (by the
 * CSAT and feedback rules: the quoted campaign message, else the last one within the reply window) frozen as
 * {@code credited_campaign_id}, and whether a survey answer counts for CSAT (it answered a CSAT survey) frozen as
 * {@code csat_explicit}. Feedback keeps only the keyword hashes of stems already shown in clear
 * ({@code feedback_keyword}, used by enough different people): those are all any figure shows; the others, perhaps
 * a name or a street, are dropped.</li>
 * <li>Tokens ({@code erased-} and 32 random hex digits) replace the subject id, each shared only within the smallest
 * unit a figure counts distinct people in: one per campaign for its messages (per-campaign, -variant, -type,
 * -send-window and -segment unique counts stay exact); one per campaign and link for clicks (unique clickers per
 * link); one per independent part of the service conversation ({@link ConversationTimes#independentStarts}) for
 * customer messages, business replies outside campaigns and resolutions, so that response, first-response and
 * resolution times stay exact for every range; a fresh one per row for feedback. No token is shared across campaigns
 * or conversations.</li>
 * <li>Message ids ({@code wamid}, {@code context_wamid}) become fresh random ids of the same form ({@code mid_}, 28
 * characters), click event ids fresh random ones with their kind. Orders, opt-outs and segment memberships are
 * deleted: no figure reads them once conversions, opt-outs and segments are frozen, and an order's time and total
 * would still match the shop's order database.</li>
 * </ul>
 * What cannot stay exact: a unique count over rows of more than one unit counts the person once per unit. That is
 * the summary without a campaign (recipients, readers, clickers, converters, opted out, repliers, engaged, and the
 * rates made from them) when its group holds messages of several of the person's campaigns or of a campaign and a
 * service conversation (overall, or per variant, type, send window or segment across campaigns), and unique clickers
 * of a link id used in several campaigns when no campaign is given. The urgent-feedback list shows the token and the
 * new message id instead of the person's. Frozen facts follow the attribution and reply windows and the conversation
 * inactivity configured at the fold; live rows follow the configuration at read time. Every table with a
 * {@code subject_id} column must be folded here: a fold that leaves the subject anywhere fails (and rolls back).
 *
 * <p>The person's existing rows are locked ({@code FOR UPDATE}) before anything is read, so an update of one of them
 * does not slip between the read and the rewrite. A row of the person inserted meanwhile is not locked: the fold
 * fails on it and the kit's participant retries the erasure, which then folds it too. What the lock does not cover:
 * metrics-service writes by upsert ({@code INSERT … ON CONFLICT}), so a writer blocked on a locked row whose erasure
 * check passed long before (more than the participants' wait) inserts a new row with the person's subject after the
 * fold commits, since the row it conflicted with now has a new id. The erasure check on every consumer and the wait
 * before the fold make this a writer delayed by many seconds; a per-subject lock shared by writers and the fold would
 * close it and is not built.
 */
@ApplicationScoped
public class ErasureFolding {

    private static final String TOKEN_PREFIX = "erased-";
    private static final String AT = "COALESCE(m.sent_at, m.delivered_at, m.read_at, m.failed_at)";
    private static final String CREDIT_AT = "COALESCE(m.sent_at, m.delivered_at, m.read_at)";
    /** Every table the fold rewrites or deletes from, in the order their rows are locked. */
    static final List<String> TABLES = List.of("message_state", "link_click", "inbound_message", "feedback",
            "conversation_resolution", "shop_order", "opt_out", "segment_membership");

    /** The primary key of each table of {@link #TABLES}. */
    private static final Map<String, String> KEYS = Map.of("message_state", "wamid", "link_click", "event_id",
            "inbound_message", "wamid", "feedback", "wamid", "conversation_resolution", "id", "shop_order", "order_id",
            "opt_out", "event_id", "segment_membership", "id");

    private final EngagementQueries queries;
    private final MetricsConfig config;
    private final SecureRandom random = new SecureRandom();

    public ErasureFolding(EngagementQueries queries, MetricsConfig config) {
        this.queries = queries;
        this.config = config;
    }

    /** Folds every row of {@code subject} inside the caller's transaction {@code tx}; the number of rows changed or deleted. */
    public Uni<Long> fold(SqlConnection tx, String subject) {
        Tuple bySubject = Tuple.of(subject);
        Tuple withReplyWindow = Tuple.of(subject, config.replyWindow().toSeconds());
        Uni<RowSet<Row>> messages = tx.preparedQuery("SELECT m.wamid, m.campaign_id, " + AT + " AS at FROM message_state m "
                + "WHERE m.subject_id = $1").execute(bySubject);
        Uni<RowSet<Row>> timeline = tx.preparedQuery("SELECT at, kind FROM (SELECT received_at AS at, 0 AS kind FROM inbound_message "
                + "WHERE subject_id = $1 AND message_type NOT IN ('reaction', 'system') UNION ALL SELECT sent_at, 1 FROM message_state "
                + "WHERE subject_id = $1 AND campaign_id IS NULL AND sent_at IS NOT NULL UNION ALL SELECT resolved_at, 2 "
                + "FROM conversation_resolution WHERE subject_id = $1) t ORDER BY at, kind").execute(bySubject);
        // credited as EngagementQueries.csatScores credits a survey answer
        Uni<RowSet<Row>> inbound = tx.preparedQuery("SELECT DISTINCT ON (i.wamid) i.wamid, i.received_at, i.context_wamid, "
                + "m.campaign_id, i.csat_explicit OR COALESCE(m.csat_survey, FALSE) AS csat_counts FROM inbound_message i LEFT JOIN message_state m ON m.subject_id = i.subject_id "
                + "AND m.campaign_id IS NOT NULL AND (i.context_wamid = m.wamid OR (" + CREDIT_AT + " <= i.received_at "
                + "AND " + CREDIT_AT + " > i.received_at - $2::bigint * interval '1 second')) WHERE i.subject_id = $1 "
                + "ORDER BY i.wamid, (i.context_wamid IS NOT DISTINCT FROM m.wamid) DESC, " + CREDIT_AT + " DESC NULLS LAST")
                .execute(withReplyWindow);
        // credited as Feedback.insights credits a reply
        Uni<RowSet<Row>> feedback = tx.preparedQuery("SELECT DISTINCT ON (f.wamid) f.wamid, m.campaign_id FROM feedback f "
                + "LEFT JOIN inbound_message i ON i.wamid = f.wamid LEFT JOIN message_state m ON m.subject_id = f.subject_id "
                + "AND m.campaign_id IS NOT NULL AND (i.context_wamid = m.wamid OR (" + CREDIT_AT + " <= f.received_at "
                + "AND " + CREDIT_AT + " > f.received_at - $2::bigint * interval '1 second')) WHERE f.subject_id = $1 "
                + "ORDER BY f.wamid, (i.context_wamid IS NOT DISTINCT FROM m.wamid) DESC, " + CREDIT_AT + " DESC NULLS LAST")
                .execute(withReplyWindow);
        Uni<RowSet<Row>> clicks = tx.preparedQuery("SELECT event_id, campaign_id, link_id FROM link_click WHERE subject_id = $1")
                .execute(bySubject);
        Uni<RowSet<Row>> resolutions = tx.preparedQuery("SELECT id, resolved_at FROM conversation_resolution WHERE subject_id = $1")
                .execute(bySubject);
        // everything is read before anything changes: attribution joins on the subject id
        return lockRows(tx, subject).chain(() -> queries.subjectFacts(tx, subject)).flatMap(facts -> messages.flatMap(m -> timeline.flatMap(t -> inbound
                .flatMap(i -> feedback.flatMap(f -> clicks.flatMap(c -> resolutions.flatMap(r -> write(tx, subject,
                        facts, m, conversationParts(t), i, f, c, r))))))))
                .call(() -> nothingLeft(tx, subject));
    }

    private Uni<Long> write(SqlConnection tx, String subject, Map<String, EngagementQueries.MessageFacts> facts, RowSet<Row> messages,
            List<Instant> parts, RowSet<Row> inbound, RowSet<Row> feedback, RowSet<Row> clicks, RowSet<Row> resolutions) {
        Map<List<Object>, String> tokens = new HashMap<>(); // unit → its token
        Function<List<Object>, String> tokenOf = unit -> tokens.computeIfAbsent(unit, u -> token());
        Function<OffsetDateTime, String> conversationToken = at -> at == null ? token()
                : tokenOf.apply(Arrays.asList("conversation", part(parts, at.toInstant())));

        List<Tuple> messageRows = new ArrayList<>();
        for (Row r : messages) {
            String campaign = r.getString("campaign_id");
            EngagementQueries.MessageFacts f = facts.getOrDefault(r.getString("wamid"), EngagementQueries.MessageFacts.NONE);
            messageRows.add(Tuple.from(new Object[] {r.getString("wamid"), messageId(),
                    campaign != null ? tokenOf.apply(Arrays.asList("campaign", campaign)) : conversationToken.apply(r.getOffsetDateTime("at")),
                    f.clicked(), f.converted(), f.optedOut(), f.replied(), f.revenue().toPlainString()}));
        }
        List<Tuple> clickRows = new ArrayList<>();
        for (Row r : clicks) {
            String id = r.getString("event_id");
            clickRows.add(Tuple.of(id, (id.contains(":") ? id.substring(0, id.indexOf(':') + 1) : "") + java.util.UUID.randomUUID(),
                    tokenOf.apply(Arrays.asList("click", r.getString("campaign_id"), r.getString("link_id")))));
        }
        List<Tuple> inboundRows = new ArrayList<>();
        for (Row r : inbound) {
            inboundRows.add(Tuple.of(r.getString("wamid"), messageId(), r.getString("context_wamid") == null ? null : messageId(),
                    conversationToken.apply(r.getOffsetDateTime("received_at")), r.getString("campaign_id"), r.getBoolean("csat_counts")));
        }
        List<Tuple> feedbackRows = new ArrayList<>();
        for (Row r : feedback) {
            feedbackRows.add(Tuple.of(r.getString("wamid"), messageId(), token(), r.getString("campaign_id")));
        }
        List<Tuple> resolutionRows = new ArrayList<>();
        for (Row r : resolutions) {
            resolutionRows.add(Tuple.of(r.getLong("id"), conversationToken.apply(r.getOffsetDateTime("resolved_at"))));
        }

        List<Uni<Integer>> steps = new ArrayList<>();
        steps.add(update(tx, "UPDATE message_state m SET subject_id = u.token, wamid = u.new_wamid, folded = TRUE, "
                + "folded_clicked = u.clicked, folded_converted = u.converted, folded_opted_out = u.opted_out, "
                + "folded_replied = u.replied, folded_revenue = u.revenue::numeric, folded_segments = ARRAY(SELECT DISTINCT s.segment_id FROM segment_membership s "
                + "WHERE s.subject_id = m.subject_id AND s.entered_at <= " + AT + " AND (s.left_at IS NULL OR s.left_at > " + AT + ") "
                + "ORDER BY 1) FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[], $7::boolean[], "
                + "$8::boolean[], $9::text[]) AS u(wamid, new_wamid, token, clicked, converted, opted_out, replied, revenue) "
                + "WHERE m.wamid = u.wamid AND m.subject_id = $1", subject, messageRows));
        steps.add(update(tx, "UPDATE link_click c SET subject_id = u.token, event_id = u.new_id FROM unnest($2::text[], $3::text[], "
                + "$4::text[]) AS u(event_id, new_id, token) WHERE c.event_id = u.event_id AND c.subject_id = $1", subject, clickRows));
        steps.add(update(tx, "UPDATE inbound_message i SET subject_id = u.token, wamid = u.new_wamid, context_wamid = u.new_context, "
                + "folded = TRUE, credited_campaign_id = u.campaign, csat_explicit = u.csat_counts FROM unnest($2::text[], $3::text[], "
                + "$4::text[], $5::text[], $6::text[], $7::boolean[]) AS u(wamid, new_wamid, new_context, token, campaign, csat_counts) "
                + "WHERE i.wamid = u.wamid AND i.subject_id = $1",
                subject, inboundRows));
        steps.add(update(tx, "UPDATE feedback f SET subject_id = u.token, wamid = u.new_wamid, folded = TRUE, "
                + "credited_campaign_id = u.campaign, keywords = ARRAY(SELECT k.hash FROM unnest(f.keywords) WITH ORDINALITY "
                + "AS k(hash, n) WHERE EXISTS (SELECT 1 FROM feedback_keyword c WHERE c.keyword_hash = k.hash) ORDER BY k.n) "
                + "FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(wamid, new_wamid, token, campaign) "
                + "WHERE f.wamid = u.wamid AND f.subject_id = $1", subject, feedbackRows));
        steps.add(update(tx, "UPDATE conversation_resolution r SET subject_id = u.token FROM unnest($2::bigint[], $3::text[]) "
                + "AS u(id, token) WHERE r.id = u.id AND r.subject_id = $1", subject, resolutionRows));
        for (String table : List.of("shop_order", "opt_out", "segment_membership")) {
            steps.add(tx.preparedQuery("DELETE FROM " + table + " WHERE subject_id = $1").execute(Tuple.of(subject))
                    .map(RowSet::rowCount));
        }
        Uni<Long> total = Uni.createFrom().item(0L);
        for (Uni<Integer> step : steps) { // in order: message_state reads the memberships deleted last
            total = total.flatMap(sum -> step.map(n -> sum + n));
        }
        return total;
    }

    /**
     * Locks the person's rows of every table the fold changes, table by table in {@link #TABLES} order; the fold does it
     * first, and the retention rule before it re-checks a person's newest row ({@link MetricsRetention}).
     */
    static Uni<Void> lockRows(SqlConnection tx, String subject) {
        Uni<Void> locked = Uni.createFrom().voidItem();
        for (String table : TABLES) {
            // in key order, as the status batches lock message_state rows (EngagementFacts.STATUSES): no deadlock between them
            locked = locked.chain(() -> tx.preparedQuery("SELECT 1 FROM " + table + " WHERE subject_id = $1 ORDER BY "
                            + KEYS.get(table) + " FOR UPDATE")
                    .execute(Tuple.of(subject)).replaceWithVoid());
        }
        return locked;
    }

    /** Column-wise arrays of {@code rows} after the subject ($1); nothing to do for no rows. */
    private static Uni<Integer> update(SqlConnection tx, String sql, String subject, List<Tuple> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int columns = rows.get(0).size();
        Object[] params = new Object[columns + 1];
        params[0] = subject;
        for (int c = 0; c < columns; c++) {
            int column = c;
            Object first = rows.get(0).getValue(c);
            params[c + 1] = first instanceof Boolean ? rows.stream().map(t -> (Boolean) t.getValue(column)).toArray(Boolean[]::new)
                    : first instanceof Long ? rows.stream().map(t -> (Long) t.getValue(column)).toArray(Long[]::new)
                    : rows.stream().map(t -> (String) t.getValue(column)).toArray(String[]::new);
        }
        return tx.preparedQuery(sql).execute(Tuple.from(params)).map(RowSet::rowCount);
    }

    /** Fails the fold (and so the transaction) if any table still names the subject: a table this class does not know. */
    private static Uni<Void> nothingLeft(SqlConnection tx, String subject) {
        return tx.query("SELECT CAST(table_name AS text) FROM information_schema.columns WHERE table_schema = current_schema() "
                + "AND column_name = 'subject_id' ORDER BY 1").execute().flatMap(tables -> {
                    List<String> selects = new ArrayList<>();
                    tables.forEach(t -> selects.add("(SELECT '" + t.getString(0) + "'::text FROM \"" + t.getString(0)
                            + "\" WHERE subject_id = $1 LIMIT 1)"));
                    return tx.preparedQuery(String.join(" UNION ALL ", selects)).execute(Tuple.of(subject));
                }).invoke(left -> {
                    if (left.size() > 0) {
                        throw new IllegalStateException("erasure folding left the subject in " + left.iterator().next().getString(0));
                    }
                }).replaceWithVoid();
    }

    private List<Instant> conversationParts(RowSet<Row> timeline) {
        List<ConversationTimes.Point> points = new ArrayList<>();
        timeline.forEach(r -> points.add(new ConversationTimes.Point(r.getOffsetDateTime("at").toInstant(),
                ConversationTimes.Kind.values()[r.getInteger("kind")])));
        return ConversationTimes.independentStarts(points, config.conversationInactivity());
    }

    /** The index of the part a time falls in: how many parts start at or before it. */
    static int part(List<Instant> starts, Instant at) {
        int i = Collections.binarySearch(starts, at);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private String token() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return TOKEN_PREFIX + HexFormat.of().formatHex(bytes);
    }

    /** A random id in the form of a hashed message id ({@link MessageIds}: mid_ and 18 bytes base64url). */
    private String messageId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return MessageIds.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
