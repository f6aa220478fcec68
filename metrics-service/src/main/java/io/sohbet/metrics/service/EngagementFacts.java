package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Stores the facts metrics are computed from. Every write is idempotent and commutative: a message's timestamps
 * move only to the earliest value seen and its campaign fields are filled whenever {@code campaign.message} comes,
 * before or after its statuses; clicks, replies, opt-outs are keyed by their event or message id. So duplicates
 * and any arrival order give the same stored state. Message ids are stored as their keyed hashes ({@link MessageIds}:
 * events carry them so; one still in clear, published before the hashing, is hashed here).
 */
@ApplicationScoped
public class EngagementFacts {

    /**
     * $1 segment, $2 subject, $3 time. A redelivered "entered" finds its interval (open, or closed by a later "left") and
     * adds none. The casts give each parameter one type: uncast, PostgreSQL deduces text from the comparisons and
     * character varying from the select list, and rejects the statement as written ("inconsistent types deduced").
     */
    static final String ENTER = "INSERT INTO segment_membership (segment_id, subject_id, entered_at) "
            + "SELECT $1::text, $2::text, $3::timestamptz WHERE NOT EXISTS (SELECT 1 FROM segment_membership "
            + "WHERE segment_id = $1 AND subject_id = $2 AND (left_at IS NULL OR entered_at = $3))";
    /** $1 segment, $2 subject, $3 time: closes the open interval, if it began by then. */
    static final String LEAVE = "UPDATE segment_membership SET left_at = $3 WHERE segment_id = $1 AND subject_id = $2 "
            + "AND left_at IS NULL AND entered_at <= $3";

    private final Pool database;
    private final MessageIds messageIds;
    /** Shop order ids arrive hashed; one published in clear before the hashing is hashed here alike. */
    private final io.sohbet.events.ShopIds shopIds;
    /** Survey answer buttons' id prefix ({@link CsatAnswer}). */
    private final String answerIdPrefix;

    public EngagementFacts(Pool database, MetricsConfig config) {
        this.database = database;
        this.answerIdPrefix = config.csat().answerIdPrefix();
        this.messageIds = MessageIds.withKey(config.messageIdKey());
        this.shopIds = io.sohbet.events.ShopIds.withKey(config.messageIdKey());
    }

    /** One status; see {@link #statuses(List)}. */
    public Uni<Void> status(String subject, WaStatus status) {
        return statuses(List.of(java.util.Map.entry(subject == null ? "" : subject, status)));
    }

    /**
     * $1 wamids (sorted), $2 subjects, $3–$6 sent, delivered, read and failed times, $7 error codes, $8–$11 the pricing
     * object (category, type, model, billable), $12 the recipient's region: one row per message.
     * Rows are written, and so locked, in wamid order: two batches that touch the same messages in different orders
     * (two consumers of the channel, or a redelivery) wait for each other instead of deadlocking.
     */
    static final String STATUSES = "INSERT INTO message_state (wamid, subject_id, sent_at, delivered_at, read_at, failed_at, "
            + "error_code, pricing_category, pricing_type, pricing_model, billable, recipient_country) SELECT * FROM unnest("
            + "$1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::int[], "
            + "$8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[]) AS u(wamid, subject_id, sent_at, delivered_at, "
            + "read_at, failed_at, error_code, pricing_category, pricing_type, pricing_model, billable, recipient_country) "
            + "ORDER BY wamid ON CONFLICT (wamid) DO UPDATE SET sent_at = LEAST(message_state.sent_at, EXCLUDED.sent_at), "
            + "delivered_at = LEAST(message_state.delivered_at, EXCLUDED.delivered_at), "
            + "read_at = LEAST(message_state.read_at, EXCLUDED.read_at), failed_at = LEAST(message_state.failed_at, EXCLUDED.failed_at), "
            + "error_code = COALESCE(message_state.error_code, EXCLUDED.error_code), "
            // the pricing object is the same on every status that has one: the first seen stays
            + "pricing_category = COALESCE(message_state.pricing_category, EXCLUDED.pricing_category), "
            + "pricing_type = COALESCE(message_state.pricing_type, EXCLUDED.pricing_type), "
            + "pricing_model = COALESCE(message_state.pricing_model, EXCLUDED.pricing_model), "
            + "billable = COALESCE(message_state.billable, EXCLUDED.billable), "
            + "recipient_country = COALESCE(message_state.recipient_country, EXCLUDED.recipient_country)";

    /**
     * A batch of statuses (subject → status), written by one statement: one row per message with the earliest time of
     * each kind in the batch, in wamid order (see {@link #STATUSES}). Statuses of unknown kinds, or without wamid,
     * subject or time, are skipped.
     */
    public Uni<Void> statuses(List<java.util.Map.Entry<String, WaStatus>> batch) {
        java.util.SortedMap<String, Object[]> byWamid = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, WaStatus> e : batch) {
            WaStatus status = e.getValue();
            int column = column(status.status()) == null ? -1 : COLUMNS.indexOf(column(status.status()));
            if (column < 0 || e.getKey().isEmpty() || status.wamid() == null || status.timestamp() == null) {
                continue;
            }
            Object[] row = byWamid.computeIfAbsent(messageIds.of(status.wamid()), w -> new Object[ROW]);
            if (row[0] == null) {
                row[0] = e.getKey();
            }
            OffsetDateTime at = utc(status.timestamp());
            if (row[1 + column] == null || at.isBefore((OffsetDateTime) row[1 + column])) {
                row[1 + column] = at;
            }
            if (row[5] == null && status.errors() != null && !status.errors().isEmpty()) {
                row[5] = status.errors().get(0).code();
            }
            Object[] pricing = {category(status.pricingCategory()), lower(status.pricingType()), upper(status.pricingModel()),
                    status.billable(), country(status.recipientCountry())};
            for (int p = 0; p < pricing.length; p++) {
                if (row[6 + p] == null) {
                    row[6 + p] = pricing[p];
                }
            }
        }
        if (byWamid.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = byWamid.size();
        Object[] columns = {byWamid.keySet().toArray(String[]::new), new String[n], new OffsetDateTime[n], new OffsetDateTime[n],
                new OffsetDateTime[n], new OffsetDateTime[n], new Integer[n], new String[n], new String[n], new String[n],
                new Boolean[n], new String[n]};
        int i = 0;
        for (Object[] row : byWamid.values()) {
            ((String[]) columns[1])[i] = (String) row[0];
            for (int c = 0; c < 4; c++) {
                ((OffsetDateTime[]) columns[2 + c])[i] = (OffsetDateTime) row[1 + c];
            }
            ((Integer[]) columns[6])[i] = (Integer) row[5];
            ((String[]) columns[7])[i] = (String) row[6];
            ((String[]) columns[8])[i] = (String) row[7];
            ((String[]) columns[9])[i] = (String) row[8];
            ((Boolean[]) columns[10])[i] = (Boolean) row[9];
            ((String[]) columns[11])[i] = (String) row[10];
            i++;
        }
        return database.preparedQuery(STATUSES).execute(Tuple.from(columns)).replaceWithVoid();
    }

    private static final List<String> COLUMNS = List.of("sent_at", "delivered_at", "read_at", "failed_at");
    /** A message's row while a batch is merged: subject, four times, error code, the pricing object, the region. */
    private static final int ROW = 11;

    /**
     * The pricing category as the rate card names it: lower case, and {@code authentication-international} (the
     * spelling of the pricing object) as {@code authentication_international} (the conversation origin's).
     */
    static String category(String category) {
        String lower = lower(category);
        return lower == null ? null : lower.replace('-', '_');
    }

    private static String country(String country) {
        return country != null && country.length() == 2 ? country.toUpperCase(Locale.ROOT) : null;
    }

    private static String lower(String value) {
        return value == null || value.isBlank() || value.length() > 40 ? null : value.toLowerCase(Locale.ROOT);
    }

    private static String upper(String value) {
        return value == null || value.isBlank() || value.length() > 10 ? null : value.toUpperCase(Locale.ROOT);
    }

    static String column(String status) {
        return switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
            case "sent" -> "sent_at";
            case "delivered" -> "delivered_at";
            case "read", "played" -> "read_at";
            case "failed" -> "failed_at";
            default -> null;
        };
    }

    public Uni<Void> campaignMessage(String subject, CampaignMessage message) {
        if (subject == null || message.wamid() == null) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("INSERT INTO message_state (wamid, subject_id, campaign_id, variant, message_type, sent_at, "
                        + "csat_survey) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (wamid) DO UPDATE SET campaign_id = EXCLUDED.campaign_id, "
                        + "variant = EXCLUDED.variant, message_type = EXCLUDED.message_type, "
                        + "sent_at = LEAST(message_state.sent_at, EXCLUDED.sent_at), "
                        + "csat_survey = message_state.csat_survey OR EXCLUDED.csat_survey")
                .execute(Tuple.from(new Object[] {messageIds.of(message.wamid()), subject, message.campaignId(), message.variant(),
                        message.messageType(), message.sentAt() == null ? null : utc(message.sentAt()), message.csatSurvey()}))
                .replaceWithVoid();
    }

    public Uni<Void> inbound(String subject, WaInbound message) {
        if (subject == null || message.wamid() == null || message.timestamp() == null) {
            return Uni.createFrom().voidItem();
        }
        String context = messageIds.of(message.reactionToWamid() != null ? message.reactionToWamid() : message.contextWamid());
        CsatAnswer answer = CsatAnswer.of(answerIdPrefix, message.replyId(), message.replyTitle(), message.reactionEmoji());
        return database.preparedQuery("INSERT INTO inbound_message (wamid, subject_id, received_at, message_type, "
                        + "context_wamid, csat_score, csat_explicit) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (wamid) DO NOTHING")
                .execute(Tuple.from(new Object[] {messageIds.of(message.wamid()), subject, utc(message.timestamp()),
                        message.messageType() == null ? "unknown" : message.messageType(), context,
                        answer == null ? null : (short) answer.score(), answer != null && answer.byButtonId()}))
                .replaceWithVoid();
    }

    public Uni<Void> click(String eventId, String subject, LinkClick click) {
        if (subject == null || click.clickedAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("INSERT INTO link_click (event_id, subject_id, campaign_id, variant, link_id, target, "
                        + "clicked_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING")
                .execute(Tuple.from(new Object[] {eventId, subject, click.campaignId(), click.variant(), click.linkId(),
                        click.target(), utc(click.clickedAt())}))
                .replaceWithVoid();
    }

    public Uni<Void> commerce(String subject, CommerceEvent event) {
        if (subject == null || event.orderId() == null || event.occurredAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (event.eventType()) {
            case "order.created", "order.paid" -> database.preparedQuery("INSERT INTO shop_order (order_id, subject_id, "
                            + "occurred_at, total, currency) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id) DO UPDATE SET "
                            + "occurred_at = LEAST(shop_order.occurred_at, EXCLUDED.occurred_at), "
                            + "total = COALESCE(shop_order.total, EXCLUDED.total), currency = COALESCE(shop_order.currency, EXCLUDED.currency)")
                    .execute(Tuple.from(new Object[] {shopIds.of(event.orderId()), subject, utc(event.occurredAt()), event.total(), event.currency()}))
                    .replaceWithVoid();
            case "order.cancelled" -> database.preparedQuery("INSERT INTO shop_order (order_id, subject_id, occurred_at, "
                            + "cancelled) VALUES ($1, $2, $3, TRUE) ON CONFLICT (order_id) DO UPDATE SET cancelled = TRUE")
                    .execute(Tuple.of(shopIds.of(event.orderId()), subject, utc(event.occurredAt()))).replaceWithVoid();
            default -> Uni.createFrom().voidItem();
        };
    }

    public Uni<Void> optOut(String eventId, String subject, Instant at, String source) {
        if (subject == null || at == null) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("INSERT INTO opt_out (event_id, subject_id, opted_out_at, source) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (event_id) DO NOTHING")
                .execute(Tuple.of(eventId, subject, utc(at), source)).replaceWithVoid();
    }

    /** Opens a membership interval (unless one is open) or closes the open one. */
    public Uni<Void> membership(String subject, String segmentId, String change, Instant at) {
        if (subject == null || segmentId == null || at == null) {
            return Uni.createFrom().voidItem();
        }
        if ("entered".equals(change)) {
            return database.preparedQuery(ENTER).execute(Tuple.of(segmentId, subject, utc(at))).replaceWithVoid();
        }
        if ("left".equals(change)) {
            return database.preparedQuery(LEAVE).execute(Tuple.of(segmentId, subject, utc(at))).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
