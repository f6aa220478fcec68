package io.sohbet.events.payload;

import java.time.Instant;

/** A data-subject erasure every service must carry out and acknowledge ({@code privacy.erasure}). */
public record PrivacyErasure(String requestId, Instant requestedAt) {
}
