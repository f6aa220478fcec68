package io.sohbet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * A status update of a message the business sent ({@code wa.status}): sent, delivered, read, failed, played, or
 * any newer value Meta adds (kept verbatim). {@code pricing*} and {@code billable} are the status' {@code pricing}
 * object as Meta sent it. {@code recipientCountry} is the ISO 3166 alpha-2 region of the recipient (from the calling
 * code of their number, else the prefix of their business-scoped user id), the key of the rate card: it identifies
 * nobody, so services that must not hold phone numbers can price messages. {@code null} when unknown.
 */
public record WaStatus(String wamid, String status, Instant timestamp, String businessPhoneNumberId,
        String recipientType, String conversationId, String conversationOrigin, String pricingCategory,
        String pricingType, String pricingModel, Boolean billable, String bizOpaqueCallbackData,
        List<WaError> errors, String recipientCountry) {

    /** A status without the recipient's country (events published before it was added read the same). */
    public WaStatus(String wamid, String status, Instant timestamp, String businessPhoneNumberId, String recipientType,
            String conversationId, String conversationOrigin, String pricingCategory, String pricingType, String pricingModel,
            Boolean billable, String bizOpaqueCallbackData, List<WaError> errors) {
        this(wamid, status, timestamp, businessPhoneNumberId, recipientType, conversationId, conversationOrigin, pricingCategory,
                pricingType, pricingModel, billable, bizOpaqueCallbackData, errors, null);
    }
}
