package io.sohbet.campaign.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sohbet.campaign.service.Campaigns.utc;

/**
 * The durable send queue in PostgreSQL. A claim, in one transaction: locks the phone number's rate row (so claims of
 * all replicas are serialised and the shared rate, frequency caps and messaging tier are exact), takes due recipients
 * of running campaigns with {@code FOR UPDATE SKIP LOCKED}, skips those over their frequency cap, holds back new
 * recipients over the tier limit, marks the rest {@code sending} and reserves one send slot each. A row is
 * {@code sending} (committed) before its message is sent, and a {@code sending} row is never claimed again: a
 * recipient gets a campaign's message at most once, whatever crashes.
 *
 * <p>The messaging tier (unique recipients per rolling 24 h) is spent only on messages that went out: the recipients
 * of the last 24 hours are those of accepted sends ({@code recipient_window}, written with the {@code sent} status) and
 * of sends whose outcome is unknown ({@code unconfirmed}, counted as sent), plus those being sent right now (rows
 * {@code sending}: a reservation that a skip, a requeue or a refusal gives back by moving the row on).
 */
@ApplicationScoped
public class SendQueue {

    /**
     * Due rows of running, planned campaigns, earliest first: each running campaign's own due rows through
     * {@code send_queue_campaign_due}, so rows of paused or still-planning campaigns are never read.
     */
    static final String CLAIM = "SELECT q.id, q.campaign_id, q.subject_id, q.variant, q.phase, q.attempts, q.due_at, q.time_zone, "
            + "c.start_at, c.test_ends_at FROM campaign c CROSS JOIN LATERAL (SELECT id, campaign_id, subject_id, variant, phase, "
            + "attempts, due_at, time_zone FROM send_queue s WHERE s.campaign_id = c.id AND s.status IN ('queued', 'deferred') "
            + "AND s.due_at <= $1 ORDER BY s.due_at LIMIT $2 FOR UPDATE SKIP LOCKED) q "
            + "WHERE c.status = 'running' AND c.planned_at IS NOT NULL ORDER BY q.due_at LIMIT $2";

    /** Recipients the tier counts (see the class comment); $1 = 24 h ago. */
    static final String TIER_RECIPIENTS = "SELECT subject_id FROM recipient_window WHERE last_sent_at > $1 "
            + "UNION SELECT subject_id FROM send_queue WHERE status = 'sending'";

    /** A recipient claimed for sending at {@code slot}; {@code timeZone} as planned (null: unknown then). */
    public record Claimed(long id, String campaignId, String subjectId, String variant, String phase, int attempts,
            Instant campaignStart, Instant testEnds, Instant slot, String timeZone) {

        Claimed at(Instant slot) {
            return new Claimed(id, campaignId, subjectId, variant, phase, attempts, campaignStart, testEnds, slot, timeZone);
        }
    }

    /**
     * What a claim took: rows with consecutive slots of the grid {@code slots} from {@code start}; the rate row's next
     * slot after it; when nothing was taken, when to try again.
     */
    public record Claim(List<Claimed> rows, Instant start, SendSlots slots, Instant nextSlot, Instant retryAt, int capped,
            int heldForTier) {

        static Claim none(Instant retryAt) {
            return new Claim(List.of(), null, null, null, retryAt, 0, 0);
        }
    }

    private final Pool database;
    private final Campaigns campaigns;
    private final CampaignConfig config;
    private final String phone;

    public SendQueue(Pool database, Campaigns campaigns, CampaignConfig config) {
        this.database = database;
        this.campaigns = campaigns;
        this.config = config;
        this.phone = config.whatsapp().phoneNumberId();
    }

    public Uni<Void> ensureRateRow() {
        return database.preparedQuery("INSERT INTO send_rate (phone_number_id, next_slot) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(phone, utc(Instant.now()))).replaceWithVoid();
    }

    public Uni<Claim> claim(Instant now) {
        return claim(now, config.sending().lead(), config.sending().batchSpan());
    }

    /**
     * Claims due recipients once the rate row's next slot is within {@code lead} plus the horizon of {@code now}:
     * {@code lead} is the sender's measured time from claiming to having the messages ready, so a slow sender claims
     * further ahead. The claim's first slot is the next slot of the shared grid, or {@code sending.lead} after
     * {@code now} if that is later (a sender far behind): a longer lead never skips slots, which would be lost. It takes
     * up to {@code span} of send time at the current rate (at most 1,000 recipients).
     */
    public Uni<Claim> claim(Instant now, Duration lead, Duration span) {
        return database.withTransaction(conn -> conn.preparedQuery("SELECT next_slot, slowdown, slowed_at, messaging_limit FROM send_rate "
                        + "WHERE phone_number_id = $1 FOR UPDATE").execute(Tuple.of(phone))
                .flatMap(rate -> {
                    if (rate.size() == 0) {
                        return Uni.createFrom().item(Claim.none(now.plusSeconds(1)));
                    }
                    Row r = rate.iterator().next();
                    double slowdown = r.getDouble("slowdown");
                    OffsetDateTime slowedAt = r.getOffsetDateTime("slowed_at");
                    if (slowdown < 1 && (slowedAt == null || slowedAt.toInstant().plus(config.sending().throttleRecovery()).isBefore(now))) {
                        slowdown = Math.min(1, slowdown * 1.25);
                        slowedAt = utc(now);
                    }
                    double perSecond = config.whatsapp().messagesPerSecond() * slowdown;
                    SendSlots slots = slots(slowdown);
                    Instant next = r.getOffsetDateTime("next_slot").toInstant();
                    Instant start = ClaimAhead.firstSlot(slots, next, now, min(lead, config.sending().lead()));
                    // claimed ahead: the lead the sender asks for plus the horizon
                    Duration ahead = lead.plus(config.sending().horizon());
                    if (start.isAfter(now.plus(ahead))) {
                        return Uni.createFrom().item(Claim.none(start.minus(ahead)));
                    }
                    int batch = (int) Math.max(1, Math.min(1000, Math.ceil(perSecond * span.toNanos() / 1e9)));
                    double s = slowdown;
                    OffsetDateTime sAt = slowedAt;
                    // the limit Meta last reported (MessagingLimits), else the configured one
                    Integer reported = r.getInteger("messaging_limit");
                    int limit = reported != null ? reported : config.whatsapp().messagingLimit();
                    return conn.preparedQuery(CLAIM).execute(Tuple.of(utc(now), batch))
                            .flatMap(rows -> decide(conn, now, candidates(rows), start, slots, s, sAt, limit));
                }));
    }

    private static List<Claimed> candidates(RowSet<Row> rows) {
        List<Claimed> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(new Claimed(row.getLong("id"), row.getString("campaign_id"), row.getString("subject_id"), row.getString("variant"),
                    row.getString("phase"), row.getInteger("attempts"), Campaigns.instant(row, "start_at"),
                    Campaigns.instant(row, "test_ends_at"), null, row.getString("time_zone")));
        }
        return out;
    }

    /** The slot grid at the configured rate times {@code slowdown}; every replica computes the same one. */
    SendSlots slots(double slowdown) {
        return SendSlots.of(config.whatsapp().messagesPerSecond() * slowdown, config.sending().jitterMargin());
    }

    private Uni<Claim> decide(SqlConnection conn, Instant now, List<Claimed> candidates, Instant start, SendSlots slots,
            double slowdown, OffsetDateTime slowedAt, int messagingLimit) {
        if (candidates.isEmpty()) {
            return conn.preparedQuery("UPDATE send_rate SET slowdown = $2, slowed_at = $3 WHERE phone_number_id = $1")
                    .execute(Tuple.of(phone, slowdown, slowedAt)).replaceWith(Claim.none(now.plusMillis(250)));
        }
        Set<String> campaignIds = new LinkedHashSet<>();
        candidates.forEach(c -> campaignIds.add(c.campaignId()));
        List<Uni<Map.Entry<String, CampaignDefinition>>> lookups = campaignIds.stream()
                .map(id -> campaigns.definition(id).map(d -> Map.entry(id, d))).toList();
        return Uni.join().all(lookups).andFailFast().flatMap(entries -> {
            Map<String, Scheduling.Cap> caps = new HashMap<>();
            entries.forEach(e -> caps.put(e.getKey(), Scheduling.frequencyCap(e.getValue(), config)));
            Duration longest = caps.values().stream().map(Scheduling.Cap::period).max(Duration::compareTo).orElse(Duration.ZERO);
            String[] subjects = candidates.stream().map(Claimed::subjectId).distinct().toArray(String[]::new);
            Uni<RowSet<Row>> history = conn.preparedQuery("SELECT subject_id, claimed_at FROM send_queue WHERE subject_id = ANY($1) "
                    + "AND claimed_at > $2 AND status IN ('sending', 'sent', 'unconfirmed')").execute(Tuple.of(subjects, utc(now.minus(longest))));
            Uni<RowSet<Row>> tier = messagingLimit <= 0 ? Uni.createFrom().nullItem()
                    : conn.preparedQuery("WITH tier AS (" + TIER_RECIPIENTS + ") SELECT (SELECT count(*) FROM tier) AS used, "
                            + "ARRAY(SELECT subject_id FROM tier WHERE subject_id = ANY($2)) AS known")
                            .execute(Tuple.of(utc(now.minus(Duration.ofHours(24))), subjects));
            return Uni.combine().all().unis(history, tier).asTuple().flatMap(t -> {
                Map<String, List<Instant>> sent = new HashMap<>();
                t.getItem1().forEach(row -> sent.computeIfAbsent(row.getString("subject_id"), k -> new ArrayList<>())
                        .add(row.getOffsetDateTime("claimed_at").toInstant()));
                long used = 0;
                Set<String> known = new HashSet<>();
                if (t.getItem2() != null) {
                    Row tr = t.getItem2().iterator().next();
                    used = tr.getLong("used");
                    String[] k = tr.getArrayOfStrings("known");
                    known.addAll(k == null ? List.of() : List.of(k));
                }
                List<Claimed> accepted = new ArrayList<>();
                List<Long> capped = new ArrayList<>();
                List<Long> held = new ArrayList<>();
                for (Claimed c : candidates) {
                    Scheduling.Cap cap = caps.get(c.campaignId());
                    Instant since = now.minus(cap.period());
                    long recent = sent.getOrDefault(c.subjectId(), List.of()).stream().filter(at -> at.isAfter(since)).count();
                    if (recent >= cap.messages()) {
                        capped.add(c.id());
                        continue;
                    }
                    if (t.getItem2() != null && !known.contains(c.subjectId())) {
                        if (used >= messagingLimit) {
                            held.add(c.id());
                            continue;
                        }
                        used++;
                        known.add(c.subjectId());
                    }
                    sent.computeIfAbsent(c.subjectId(), k -> new ArrayList<>()).add(now);
                    accepted.add(c.at(slots.after(start, accepted.size())));
                }
                Instant nextSlot = slots.after(start, accepted.size());
                List<Uni<?>> writes = new ArrayList<>();
                if (!accepted.isEmpty()) {
                    // sending: the tier's reservation until the row moves on (sent, unconfirmed: spent; otherwise given back)
                    writes.add(conn.preparedQuery("UPDATE send_queue SET status = 'sending', claimed_at = $2, attempts = attempts + 1 "
                            + "WHERE id = ANY($1)").execute(Tuple.of(ids(accepted.stream().map(Claimed::id).toList()), utc(now))));
                }
                if (!capped.isEmpty()) {
                    writes.add(conn.preparedQuery("UPDATE send_queue SET status = 'skipped-cap', error_code = NULL, error_title = 'frequency cap reached' "
                            + "WHERE id = ANY($1)").execute(Tuple.of(ids(capped))));
                }
                if (!held.isEmpty()) {
                    writes.add(conn.preparedQuery("UPDATE send_queue SET due_at = $2, error_code = NULL, error_title = 'waiting for the messaging tier limit' "
                            + "WHERE id = ANY($1)").execute(Tuple.of(ids(held), utc(now.plusSeconds(10)))));
                }
                writes.add(conn.preparedQuery("UPDATE send_rate SET next_slot = $2, slowdown = $3, slowed_at = $4 WHERE phone_number_id = $1")
                        .execute(Tuple.of(phone, utc(nextSlot), slowdown, slowedAt)));
                return sequence(writes).replaceWith(new Claim(accepted, start, slots, nextSlot,
                        accepted.isEmpty() ? now : null, capped.size(), held.size()));
            });
        });
    }

    /** Gives back the last {@code unused} slots of a claim if no other claim came after it. */
    public Uni<Void> returnSlots(Claim claim, int unused) {
        if (unused <= 0 || claim.nextSlot() == null) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("UPDATE send_rate SET next_slot = $2 WHERE phone_number_id = $1 AND next_slot = $3")
                .execute(Tuple.of(phone, utc(claim.slots().after(claim.nextSlot(), -unused)), utc(claim.nextSlot())))
                .replaceWithVoid();
    }

    /** Meta said the phone number is over its throughput: cut the shared rate (at most once per recovery period). */
    public Uni<Void> throttle(Instant now) {
        return database.preparedQuery("UPDATE send_rate SET slowdown = GREATEST(0.05, slowdown * $2), slowed_at = $3 "
                        + "WHERE phone_number_id = $1 AND (slowed_at IS NULL OR slowed_at < $4)")
                .execute(Tuple.of(phone, config.sending().throttleFactor(), utc(now), utc(now.minusSeconds(1)))).replaceWithVoid();
    }

    /** An accepted message, waiting to be recorded with others. */
    public record Accepted(long id, String subjectId, String campaignId, String variant, String wamid, String messageType, Instant at) {
    }

    /**
     * Records accepted messages in one statement (the sender batches them; a message's row is sending until then), and
     * their recipients in the messaging tier's window.
     */
    public Uni<Void> sent(List<Accepted> accepted) {
        if (accepted.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("WITH s AS (UPDATE send_queue q SET status = 'sent', wamid = t.wamid, message_type = t.type, "
                        + "sent_at = COALESCE(q.sent_at, t.at), error_code = NULL, error_title = NULL "
                        + "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) AS t(id, wamid, type, at) "
                        + "WHERE q.id = t.id AND q.status IN ('sending', 'unconfirmed') RETURNING q.subject_id, t.at) " + WINDOW_UPSERT)
                .execute(Tuple.of(accepted.stream().map(Accepted::id).toArray(Long[]::new),
                        accepted.stream().map(Accepted::wamid).toArray(String[]::new),
                        accepted.stream().map(Accepted::messageType).toArray(String[]::new),
                        accepted.stream().map(a -> utc(a.at())).toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** Not sent; tried again from {@code due} (status {@code queued}, or {@code deferred} for 131049). */
    public Uni<Void> retryLater(long id, String status, Instant due, Integer code, String title) {
        return database.preparedQuery("UPDATE send_queue SET status = $2, due_at = $3, error_code = $4, error_title = $5 "
                        + "WHERE id = $1 AND status = 'sending'")
                .execute(Tuple.of(id, status, utc(due), code, Campaigns.storable(title))).replaceWithVoid();
    }

    public Uni<Void> fail(long id, Integer code, String title, Instant at) {
        return database.preparedQuery("UPDATE send_queue SET status = 'failed', failed_at = $4, error_code = $2, error_title = $3 "
                        + "WHERE id = $1 AND status = 'sending'")
                .execute(Tuple.of(id, code, Campaigns.storable(title), utc(at))).replaceWithVoid();
    }

    /** Adds the recipients of CTE {@code s(subject_id, at)} to the messaging tier's window. */
    public static final String WINDOW_UPSERT = "INSERT INTO recipient_window (subject_id, last_sent_at) SELECT subject_id, max(at) FROM s "
            + "GROUP BY subject_id ON CONFLICT (subject_id) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at "
            + "WHERE recipient_window.last_sent_at < EXCLUDED.last_sent_at";

    /**
     * The request went out and its outcome is unknown: never sent again; a status webhook may still confirm it. It may
     * have reached the recipient, so the tier counts them.
     */
    public Uni<Void> unconfirmed(long id, String reason) {
        return database.preparedQuery("WITH s AS (UPDATE send_queue SET status = 'unconfirmed', error_code = NULL, error_title = $2 WHERE id = $1 "
                        + "AND status = 'sending' RETURNING subject_id, claimed_at AS at) " + WINDOW_UPSERT)
                .execute(Tuple.of(id, Campaigns.storable(reason))).replaceWithVoid();
    }

    /**
     * Back to the queue after a throughput error (130429 and the like) or a template Meta refuses (its campaign is paused):
     * the condition is the phone number's or the template's, not the recipient's, so it does not count as an attempt; the
     * next claim gives the row a slot of the (slowed) shared rate.
     */
    public Uni<Void> throttled(long id, Instant due, Integer code, String title) {
        return database.preparedQuery("UPDATE send_queue SET status = 'queued', due_at = $2, attempts = GREATEST(0, attempts - 1), "
                        + "error_code = $3, error_title = $4 WHERE id = $1 AND status = 'sending'")
                .execute(Tuple.of(id, utc(due), code, Campaigns.storable(title))).replaceWithVoid();
    }

    /**
     * One send slot of the shared rate at or after {@code notBefore}, for a quick retry of a request that was not
     * accepted: reserved like the slots of a claim (the next one, at the current, maybe slowed, rate), so retries never
     * add to what all replicas send per second.
     */
    public Uni<Instant> reserveSlot(Instant notBefore) {
        return database.withTransaction(conn -> conn.preparedQuery("SELECT next_slot, slowdown FROM send_rate WHERE phone_number_id = $1 "
                        + "FOR UPDATE").execute(Tuple.of(phone))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(notBefore);
                    }
                    Row r = rows.iterator().next();
                    SendSlots slots = slots(r.getDouble("slowdown"));
                    Instant next = r.getOffsetDateTime("next_slot").toInstant();
                    Instant slot = slots.atOrAfter(next.isAfter(notBefore) ? next : notBefore);
                    return conn.preparedQuery("UPDATE send_rate SET next_slot = $2 WHERE phone_number_id = $1")
                            .execute(Tuple.of(phone, utc(slots.after(slot, 1)))).replaceWith(slot);
                }));
    }

    /** Consent withheld at send time (each with consent-service's reason). */
    public Uni<Void> skipped(Map<Long, String> reasons) {
        return skipped(reasons, "skipped-no-consent", null);
    }

    /**
     * Not sent, for good, with status {@code status} (skipped-no-consent, skipped-no-window) and each row's reason;
     * {@code code} is Meta's error when it refused the message.
     */
    public Uni<Void> skipped(Map<Long, String> reasons, String status, Integer code) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Long> ids = new ArrayList<>(reasons.keySet());
        return database.preparedQuery("UPDATE send_queue q SET status = $3, error_title = t.reason, error_code = $4 "
                        + "FROM unnest($1::bigint[], $2::text[]) AS t(id, reason) WHERE q.id = t.id AND q.status = 'sending'")
                .execute(Tuple.of(ids(ids), ids.stream().map(id -> Campaigns.storable(reasons.get(id))).toArray(String[]::new), status, code))
                .replaceWithVoid();
    }

    /** Back to the queue, due at the given times (quiet hours or local time in the recipient's zone, peer outage). */
    public Uni<Void> requeue(Map<Long, Instant> due, String reason) {
        if (due.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Long> ids = new ArrayList<>(due.keySet());
        return database.preparedQuery("UPDATE send_queue q SET status = 'queued', due_at = t.due, attempts = GREATEST(0, attempts - 1), "
                        + "error_code = NULL, error_title = $3 FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, due) WHERE q.id = t.id AND q.status = 'sending'")
                .execute(Tuple.of(ids(ids), ids.stream().map(id -> utc(due.get(id))).toArray(OffsetDateTime[]::new), reason))
                .replaceWithVoid();
    }

    /**
     * Back to the queue after missing its send slot's second, at its place: its due time stays, so the next claim (of
     * any replica) takes it first and it goes out among the others, not in a second of its own after all of them.
     * {@code retried}: those of {@code ids} late on a quick retry, whose attempt counts.
     */
    public Uni<Void> late(List<Long> ids, List<Long> retried) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the claim counted an attempt that was not made, except for a quick retry's: its first request was one
        return database.preparedQuery("UPDATE send_queue SET status = 'queued', attempts = CASE WHEN id = ANY($2) THEN attempts "
                        + "ELSE GREATEST(0, attempts - 1) END, error_code = NULL, error_title = 'late for its send slot' WHERE id = ANY($1) AND status = 'sending'")
                .execute(Tuple.of(ids(ids), ids(retried))).replaceWithVoid();
    }

    public Uni<Void> published(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("UPDATE send_queue SET published = TRUE WHERE id = ANY($1)").execute(Tuple.of(ids(ids)))
                .replaceWithVoid();
    }

    static Long[] ids(List<Long> ids) {
        return ids.toArray(Long[]::new);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Uni<Void> sequence(List<Uni<?>> writes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<?> w : writes) {
            chain = chain.chain(() -> w.replaceWithVoid());
        }
        return chain;
    }
}
