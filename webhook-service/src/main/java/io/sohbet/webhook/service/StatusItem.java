package io.sohbet.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.sohbet.events.payload.WaError;

import java.util.List;

import static io.sohbet.webhook.service.Json.text;

/**
 * What a {@code statuses[]} item of a WhatsApp webhook says, as its texts (absent, {@code null} and {@code ""} are
 * {@code null}), before anything is derived from it. Read from a tree ({@link #of}) or in a streaming pass
 * ({@link StatusDeliveryReader}); {@link WhatsAppWebhookReader} makes the same event of either.
 *
 * @param timestamp the {@code timestamp} as sent (epoch seconds as text), parsed by {@link Json#epochSeconds(String, java.time.Instant)}
 * @param billable  {@code pricing.billable} as a boolean when present (also when {@code null}: false), else {@code null}
 */
record StatusItem(String id, String status, String timestamp, String recipientType, String recipientId,
        String recipientUserId, String participantId, String participantUserId, String conversationId,
        String conversationOrigin, String pricingCategory, String pricingType, String pricingModel, Boolean billable,
        String bizOpaqueCallbackData, List<WaError> errors) {

    static StatusItem of(JsonNode s) {
        JsonNode conversation = s.path("conversation");
        JsonNode pricing = s.path("pricing");
        return new StatusItem(text(s, "id"), text(s, "status"), text(s, "timestamp"), text(s, "recipient_type"),
                text(s, "recipient_id"), text(s, "recipient_user_id"), text(s, "recipient_participant_id"),
                text(s, "recipient_participant_user_id"), text(conversation, "id"),
                text(conversation.path("origin"), "type"), text(pricing, "category"), text(pricing, "type"),
                text(pricing, "pricing_model"), pricing.has("billable") ? pricing.path("billable").asBoolean() : null,
                text(s, "biz_opaque_callback_data"), Json.map(s, "errors", WhatsAppWebhookReader::error));
    }

    /** The recipient (a group's participant for group messages). */
    SubjectResolver.Identifiers recipient() {
        return "group".equals(recipientType)
                ? SubjectResolver.Identifiers.of(WhatsAppWebhookReader.nonEmpty(participantId),
                        WhatsAppWebhookReader.nonEmpty(participantUserId))
                : SubjectResolver.Identifiers.of(WhatsAppWebhookReader.nonEmpty(recipientId),
                        WhatsAppWebhookReader.nonEmpty(recipientUserId));
    }
}
