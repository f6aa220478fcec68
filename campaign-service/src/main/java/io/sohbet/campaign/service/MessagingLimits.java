package io.sohbet.campaign.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The business portfolio's messaging limit as Meta reports it (unique recipients per rolling 24 h outside a customer
 * service window, shared by all the portfolio's numbers since 2025-10-07): from {@code business_capability_update}
 * ({@code max_daily_conversations_per_business}, v24+, or the older per-phone {@code max_daily_conversation_per_phone})
 * and {@code phone_number_quality_update} ({@code current_limit}). Stored with the shared send rate, which every claim
 * reads, so every replica sends under the new limit from its next claim, without a restart; until Meta reports one,
 * {@code sohbet.campaign.whatsapp.messaging-limit} applies.
 */
@ApplicationScoped
public class MessagingLimits {

    private static final Pattern TIER = Pattern.compile("^(?:TIER_)?(\\d+)(K?)$");

    /** A limit and the field that reported it. */
    public record Reported(int limit, String source) {
    }

    private final Pool database;

    public MessagingLimits(Pool database) {
        this.database = database;
    }

    /** The limit an account webhook's value reports, or null when it reports none (or one this class cannot read). */
    public static Reported of(String field, JsonNode value) {
        if (value == null || field == null) {
            return null;
        }
        return switch (field) {
            case "business_capability_update" -> first(value, "max_daily_conversations_per_business", "max_daily_conversation_per_phone");
            case "phone_number_quality_update" -> first(value, "max_daily_conversations_per_business", "current_limit");
            default -> null;
        };
    }

    private static Reported first(JsonNode value, String... fields) {
        for (String f : fields) {
            Integer limit = limit(value.get(f));
            if (limit != null) {
                return new Reported(limit, f);
            }
        }
        return null;
    }

    /**
     * {@code TIER_250}, {@code TIER_2K}, {@code TIER_10K}, {@code TIER_100K} → 250, 2000 …; {@code TIER_UNLIMITED} or
     * {@code UNLIMITED} → 0 (unlimited); a plain number as is (negative: unlimited); anything else null.
     */
    static Integer limit(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong() < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, node.asLong());
        }
        String text = node.asText("").trim().toUpperCase(Locale.ROOT);
        if (text.equals("TIER_UNLIMITED") || text.equals("UNLIMITED")) {
            return 0;
        }
        Matcher m = TIER.matcher(text);
        if (!m.matches() || m.group(1).length() > 7) {
            return null;
        }
        long n = Long.parseLong(m.group(1)) * (m.group(2).isEmpty() ? 1 : 1000);
        return (int) Math.min(Integer.MAX_VALUE, n); // as a plain number: TIER_3000000K must not wrap to a negative limit
    }

    /** Records a reported limit unless a later report is recorded already; true when it changed the limit. */
    public Uni<Boolean> record(Reported reported, Instant reportedAt) {
        return database.preparedQuery("UPDATE send_rate SET messaging_limit = $1, messaging_limit_source = $2, messaging_limit_at = $3 "
                        + "WHERE messaging_limit_at IS NULL OR messaging_limit_at < $3")
                .execute(Tuple.of(reported.limit(), reported.source(), reportedAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() > 0);
    }
}
