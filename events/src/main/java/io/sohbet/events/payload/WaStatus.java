package io.sohbet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * A status update of a message the business sent ({@code wa.status}): sent, delivered, read, failed, played, or
 * any newer value Meta adds (kept verbatim).
 */
public record WaStatus(String wamid, String status, Instant timestamp, String businessPhoneNumberId,
        String recipientType, String conversationId, String conversationOrigin, String pricingCategory,
        String pricingType, String pricingModel, Boolean billable, String bizOpaqueCallbackData,
        List<WaError> errors) {
}
