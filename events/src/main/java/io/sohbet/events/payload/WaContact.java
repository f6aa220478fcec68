package io.sohbet.events.payload;

import java.time.Instant;

/**
 * A contact profile seen in a webhook ({@code wa.contact}); personal fields are encrypted with the subject's key.
 *
 * <p>Every identifier it carries (phone, BSUID, parent BSUID, username) belongs to the event's subject: consent-service
 * links their keyed hashes to it, so a later webhook with only one of them resolves to the same person.
 * {@code change} says the identifier is new for a known person: {@link #CHANGED_NUMBER} (then {@code waId} is the new
 * number) or {@link #CHANGED_USER_ID} (then {@code businessScopedUserId} is the new BSUID); {@code null} for a profile.
 */
public record WaContact(String waId, String profileName, String businessScopedUserId, String businessPhoneNumberId,
        Instant seenAt, String parentBusinessScopedUserId, String username, String change) {

    /** WhatsApp's system message {@code user_changed_number}: {@code waId} is the person's new number. */
    public static final String CHANGED_NUMBER = "user_changed_number";
    /** WhatsApp's system message {@code user_changed_user_id}: {@code businessScopedUserId} is the person's new BSUID. */
    public static final String CHANGED_USER_ID = "user_changed_user_id";

    /** A profile as sent before 2026 (phone, name, BSUID). */
    public WaContact(String waId, String profileName, String businessScopedUserId, String businessPhoneNumberId,
            Instant seenAt) {
        this(waId, profileName, businessScopedUserId, businessPhoneNumberId, seenAt, null, null, null);
    }
}
