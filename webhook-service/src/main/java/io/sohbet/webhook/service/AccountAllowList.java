package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an account-level webhook ({@code wa.account}) may carry in clear: per field, the paths in its {@code value}
 * known to hold facts about the business, never about a customer (templates, quality and tiers, limits, the business's
 * own numbers, bans, alerts, sync progress). Everything else is dropped: customers' numbers, names, contact cards,
 * message text, locations, wamids (which embed the number), BSUIDs, and any field or key Meta adds later until it is
 * listed here. A path is dot-separated keys, {@code []} for the elements of an array; only scalar values (and null) at
 * a listed path are kept, so an object or array arriving where a scalar was expected is dropped too. Sources: Meta's
 * webhook references as summarised in {@code ../shared/docs/whatsapp-cloud-api.md} (§4, §12.2, §12.6, §12.7) and
 * the field references it points to; the public fixtures in {@code ../shared/fixtures/whatsapp}.
 */
public final class AccountAllowList {

    /** The metric tag of a field this class does not know (field names come from the payload: bounded here). */
    public static final String OTHER_FIELD = "other";

    private static final String[] TEMPLATE = {"message_template_id", "message_template_name", "message_template_language"};
    /** The business phone number a coexistence or events webhook is about; never the customer's. */
    private static final String[] BUSINESS_NUMBER = {"messaging_product", "metadata.display_phone_number",
            "metadata.phone_number_id"};

    private static final Map<String, Set<String>> PATHS = Map.ofEntries(
            field("message_template_status_update", TEMPLATE, "event", "reason", "message_template_category",
                    "disable_info.disable_date", "other_info.title", "other_info.description", "rejection_info.reason",
                    "rejection_info.recommendation"),
            field("message_template_quality_update", TEMPLATE, "previous_quality_score", "new_quality_score"),
            // the template as the business wrote it (a phone button is the business's number)
            field("message_template_components_update", TEMPLATE, "message_template_element", "message_template_title",
                    "message_template_footer", "message_template_buttons[].message_template_button_type",
                    "message_template_buttons[].message_template_button_text",
                    "message_template_buttons[].message_template_button_url",
                    "message_template_buttons[].message_template_button_phone_number"),
            field("template_category_update", TEMPLATE, "previous_category", "new_category", "correct_category",
                    "category_update_timestamp"),
            // phone_number: the business number some older account events name
            field("account_update", new String[0], "event", "country", "phone_number", "ban_info.waba_ban_state",
                    "ban_info.waba_ban_date", "restriction_info[].restriction_type", "restriction_info[].expiration",
                    "violation_info.violation_type", "lock_info.expiration", "waba_info.waba_id",
                    "waba_info.owner_business_id", "waba_info.ad_account_linked", "waba_info.partner_app_id",
                    "waba_info.solution_id", "waba_info.solution_partner_business_ids[]",
                    "auth_international_rate_eligibility.start_time",
                    "auth_international_rate_eligibility.exception_countries[].country_code",
                    "auth_international_rate_eligibility.exception_countries[].start_time",
                    "partner_client_certification_info.client_business_id", "partner_client_certification_info.status",
                    "partner_client_certification_info.rejection_reasons[]", "volume_tier_info.effective_month",
                    "volume_tier_info.pricing_category", "volume_tier_info.region", "volume_tier_info.tier",
                    "volume_tier_info.tier_update_time"),
            field("account_review_update", new String[0], "decision"),
            field("account_alerts", new String[0], "entity_type", "entity_id", "alert_info.alert_severity",
                    "alert_info.alert_status", "alert_info.alert_type", "alert_info.alert_description"),
            field("business_capability_update", new String[0], "max_daily_conversation_per_phone",
                    "max_daily_conversations_per_business", "max_phone_numbers_per_business", "max_phone_numbers_per_waba"),
            field("phone_number_quality_update", new String[0], "display_phone_number", "event", "current_limit",
                    "old_limit", "max_daily_conversations_per_business"),
            field("phone_number_name_update", new String[0], "display_phone_number", "decision",
                    "requested_verified_name", "rejection_reason"),
            // not "requester": the Meta Business Suite user (a person) who asked for a PIN reset
            field("security", new String[0], "display_phone_number", "event"),
            field("partner_solutions", new String[0], "event", "solution_id", "solution_status"),
            field("payment_configuration_update", new String[0], "configuration_name", "provider_name", "provider_mid",
                    "status", "created_timestamp", "updated_timestamp"),
            // not the wamid or the ad click id of each event: they single out the customer
            field("automatic_events", BUSINESS_NUMBER, "automatic_events[].event_name", "automatic_events[].timestamp",
                    "automatic_events[].custom_data.currency", "automatic_events[].custom_data.value"),
            // chat history shared by a coexistence number: its progress, or why it was not shared; never the threads
            field("history", BUSINESS_NUMBER, "history[].metadata.phase", "history[].metadata.chunk_order",
                    "history[].metadata.progress", "history[].errors[].code", "history[].errors[].title",
                    "history[].errors[].message", "history[].errors[].error_data.details"),
            // the business app's address book: that a contact was added or removed, never who
            field("smb_app_state_sync", BUSINESS_NUMBER, "state_sync[].type", "state_sync[].action",
                    "state_sync[].metadata.timestamp"),
            // messages the business sent from the WhatsApp Business app: their type and time, never to whom or what
            field("smb_message_echoes", BUSINESS_NUMBER, "message_echoes[].type", "message_echoes[].timestamp"),
            // value-level errors of a messages webhook (the value is the errors array)
            field("messages.errors", new String[0], "[].code", "[].title", "[].message", "[].error_data.details",
                    "[].href"));

    private AccountAllowList() {
    }

    /** A value with only its allow-listed facts, and how many scalar values were dropped. */
    public record Filtered(JsonNode value, int dropped) {
    }

    /** The allow-listed part of a field's value: an object (empty when nothing is listed or known), never null. */
    public static Filtered filter(String field, JsonNode value) {
        Set<String> allowed = PATHS.getOrDefault(field, Set.of());
        int[] dropped = {0};
        JsonNode kept = value == null ? null : keep(value, "", allowed, dropped);
        return new Filtered(kept != null ? kept : JsonNodeFactory.instance.objectNode(), dropped[0]);
    }

    /** The field as a metric tag: itself when listed here, else {@link #OTHER_FIELD}. */
    public static String tag(String field) {
        return PATHS.containsKey(field) ? field : OTHER_FIELD;
    }

    private static JsonNode keep(JsonNode node, String path, Set<String> allowed, int[] dropped) {
        if (node.isObject()) {
            ObjectNode out = null;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> child = fields.next();
                JsonNode kept = keep(child.getValue(), path.isEmpty() ? child.getKey() : path + "." + child.getKey(),
                        allowed, dropped);
                if (kept != null) {
                    out = out != null ? out : JsonNodeFactory.instance.objectNode();
                    out.set(child.getKey(), kept);
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = null;
            for (JsonNode element : node) {
                JsonNode kept = keep(element, path + "[]", allowed, dropped);
                if (kept != null) {
                    out = out != null ? out : JsonNodeFactory.instance.arrayNode();
                    out.add(kept);
                }
            }
            return out;
        }
        if (allowed.contains(path)) {
            return node;
        }
        dropped[0]++;
        return null;
    }

    private static Map.Entry<String, Set<String>> field(String name, String[] common, String... paths) {
        return Map.entry(name, Stream.concat(Stream.of(common), Stream.of(paths)).collect(Collectors.toUnmodifiableSet()));
    }
}
