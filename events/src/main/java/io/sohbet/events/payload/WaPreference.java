package io.sohbet.events.payload;

import java.time.Instant;

/** A marketing-message preference change from Meta's {@code user_preferences} webhook: stop, resume, signup. */
public record WaPreference(String category, String value, String detail, Instant timestamp,
        String businessPhoneNumberId) {
}
