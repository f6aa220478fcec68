package io.sohbet.events.payload;

import java.time.Instant;

/** A contact profile seen in a webhook ({@code wa.contact}); personal fields are encrypted with the subject's key. */
public record WaContact(String waId, String profileName, String businessScopedUserId, String businessPhoneNumberId,
        Instant seenAt) {
}
