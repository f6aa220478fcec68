package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.FieldDecryptionException;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.keys.SubjectKeys;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feedback insights: a text reply is opened in memory with the subject's key, read by {@link FeedbackAnalyzer}, and
 * only the reading is stored. A reply that is just a digit 1–5 (or 👍 / 👎) is not feedback but a possible survey answer:
 * it counts for CSAT when it answers a CSAT survey ({@link CsatAnswer}).
 * A text that cannot be opened (the subject was erased: its key is gone) is skipped.
 * <p>
 * Keyword stems are derived from what the customer wrote, so a reply keeps only keyed hashes of them. A stem is
 * written in clear ({@code feedback_keyword}, without any subject) once replies of
 * {@code sohbet.metrics.feedback.keyword-min-subjects} different subjects used it, and only such stems are shown: a
 * name, a street or an order number one customer wrote never appears.
 */
@ApplicationScoped
public class Feedback {

    private static final String HMAC = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 16;
    /** Stems of this reply that enough different subjects have now used are written in clear, once. */
    private static final String SHOW_COMMON_STEMS = "INSERT INTO feedback_keyword (keyword_hash, keyword) "
            + "SELECT t.h, t.w FROM unnest($1::text[], $2::text[]) AS t(h, w) "
            + "WHERE NOT EXISTS (SELECT 1 FROM feedback_keyword k WHERE k.keyword_hash = t.h) "
            + "AND (SELECT count(DISTINCT f.subject_id) FROM feedback f WHERE f.keywords @> ARRAY[t.h]) >= $3 "
            + "ON CONFLICT (keyword_hash) DO NOTHING";

    private final Pool database;
    private final SubjectKeys keys;
    private final MetricsConfig config;
    private final FeedbackAnalyzer analyzer = new FeedbackAnalyzer();

    private final SecretKeySpec keywordKey;
    private final MessageIds messageIds;

    public Feedback(Pool database, SubjectKeys keys, MetricsConfig config) {
        this.database = database;
        this.keys = keys;
        this.config = config;
        this.messageIds = MessageIds.withKey(config.messageIdKey());
        byte[] key = config.feedback().keywordKey().getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("sohbet.metrics.feedback.keyword-key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        if (config.feedback().keywordMinSubjects() < 2) {
            throw new IllegalStateException("sohbet.metrics.feedback.keyword-min-subjects must be at least 2");
        }
        this.keywordKey = new SecretKeySpec(key, HMAC);
    }

    public Uni<Void> reply(String subject, WaInbound m) {
        if (subject == null || m.wamid() == null || m.text() == null || !"text".equals(m.messageType()) || m.timestamp() == null) {
            return Uni.createFrom().voidItem();
        }
        return keys.find(subject).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem(); // erased: nothing to open, and no key is brought back
            }
            byte[] key = found.get();
            String text;
            try {
                text = FieldCipher.decrypt(key, subject, m.text());
            } catch (FieldDecryptionException erased) {
                return Uni.createFrom().voidItem();
            }
            CsatAnswer csat = CsatAnswer.typed(text);
            if (csat != null) { // a score only if it answers a CSAT survey, decided when read (EngagementQueries.csatScores)
                return database.preparedQuery("UPDATE inbound_message SET csat_score = $2 WHERE wamid = $1")
                        .execute(Tuple.of(messageIds.of(m.wamid()), (short) csat.score())).replaceWithVoid();
            }
            FeedbackAnalyzer.Reading r = analyzer.read(text);
            String[] stems = r.keywords().toArray(new String[0]);
            String[] hashes = Arrays.stream(stems).map(this::hash).toArray(String[]::new);
            Uni<Void> stored = database.preparedQuery("INSERT INTO feedback (wamid, subject_id, received_at, sentiment, score, urgent, keywords, themes) "
                            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (wamid) DO NOTHING")
                    .execute(Tuple.from(new Object[] {messageIds.of(m.wamid()), subject, m.timestamp().atOffset(ZoneOffset.UTC), r.sentiment(),
                            (short) Math.max(-100, Math.min(100, r.score())), r.urgent(), hashes, r.themes().toArray(new String[0])}))
                    .replaceWithVoid();
            return stems.length == 0 ? stored : stored.chain(() -> database.preparedQuery(SHOW_COMMON_STEMS)
                    .execute(Tuple.of(hashes, stems, config.feedback().keywordMinSubjects())).replaceWithVoid());
        });
    }

    /** What a reply keeps instead of a stem: HMAC-SHA256 with the keyword key, 16 bytes, base64url. */
    String hash(String stem) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(keywordKey);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOf(mac.doFinal(stem.getBytes(StandardCharsets.UTF_8)), 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Keyword(String keyword, long replies) {
    }

    /** A reply needing follow-up; {@code messageId} is its keyed hash ({@code mid_…}), never the WhatsApp id. */
    public record Urgent(String messageId, String subjectId, Instant receivedAt, int score, List<String> keywords, List<String> themes) {
    }

    public record Insights(long replies, long positive, long neutral, long negative, List<Keyword> topKeywords,
            List<Keyword> themes, List<Urgent> urgent) {
    }

    /**
     * Insights over replies received in the range, optionally only those credited to a campaign (a folded reply: the
     * campaign frozen on it, {@link ErasureFolding}).
     */
    public Uni<Insights> insights(String campaignId, Instant from, Instant to) {
        String scope = "WITH f AS (SELECT DISTINCT ON (f.wamid) f.*, "
                + "CASE WHEN f.folded THEN f.credited_campaign_id ELSE m.campaign_id END AS campaign_id FROM feedback f "
                + "LEFT JOIN inbound_message i ON NOT f.folded AND i.wamid = f.wamid "
                + "LEFT JOIN message_state m ON NOT f.folded AND m.subject_id = f.subject_id AND m.campaign_id IS NOT NULL "
                + "AND (i.context_wamid = m.wamid OR (COALESCE(m.sent_at, m.delivered_at, m.read_at) <= f.received_at "
                + "AND COALESCE(m.sent_at, m.delivered_at, m.read_at) > f.received_at - $4::bigint * interval '1 second')) "
                + "WHERE f.received_at >= $2 AND f.received_at < $3 "
                + "ORDER BY f.wamid, (i.context_wamid IS NOT DISTINCT FROM m.wamid) DESC, COALESCE(m.sent_at, m.delivered_at, m.read_at) DESC NULLS LAST), "
                + "s AS (SELECT * FROM f WHERE $1::text IS NULL OR f.campaign_id = $1::text) ";
        Tuple params = Tuple.of(campaignId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), config.replyWindow().toSeconds());
        Uni<Map<String, Long>> sentiments = database.preparedQuery(scope + "SELECT sentiment, count(*) AS n FROM s GROUP BY sentiment")
                .execute(params).map(rows -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    rows.forEach(r -> out.put(r.getString("sentiment"), r.getLong("n")));
                    return out;
                });
        Uni<List<Keyword>> keywords = database.preparedQuery(scope + "SELECT c.keyword AS k, count(*) AS n FROM s "
                + "CROSS JOIN LATERAL unnest(s.keywords) AS h(hash) JOIN feedback_keyword c ON c.keyword_hash = h.hash "
                + "GROUP BY c.keyword ORDER BY n DESC, k LIMIT 20").execute(params).map(Feedback::keywords);
        Uni<List<Keyword>> themes = database.preparedQuery(scope + "SELECT k, count(*) AS n FROM s, unnest(s.themes) AS k "
                + "GROUP BY k HAVING count(*) >= 2 ORDER BY n DESC, k").execute(params).map(Feedback::keywords);
        Uni<List<Urgent>> urgent = database.preparedQuery(scope + "SELECT wamid, subject_id, received_at, score, themes, "
                + "ARRAY(SELECT c.keyword FROM unnest(s.keywords) WITH ORDINALITY AS h(hash, i) "
                + "JOIN feedback_keyword c ON c.keyword_hash = h.hash ORDER BY h.i) AS keywords "
                + "FROM s WHERE urgent ORDER BY received_at DESC LIMIT 100").execute(params).map(rows -> {
                    List<Urgent> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Urgent(r.getString("wamid"), r.getString("subject_id"), r.getOffsetDateTime("received_at").toInstant(),
                                r.getInteger("score"), List.of(r.getArrayOfStrings("keywords")), List.of(r.getArrayOfStrings("themes"))));
                    }
                    return out;
                });
        return Uni.combine().all().unis(sentiments, keywords, themes, urgent).with((s, k, t, u) -> {
            long positive = s.getOrDefault("positive", 0L);
            long neutral = s.getOrDefault("neutral", 0L);
            long negative = s.getOrDefault("negative", 0L);
            return new Insights(positive + neutral + negative, positive, neutral, negative, k, t, u);
        });
    }

    private static List<Keyword> keywords(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Keyword> out = new ArrayList<>();
        rows.forEach(r -> out.add(new Keyword(r.getString("k"), r.getLong("n"))));
        return out;
    }
}
