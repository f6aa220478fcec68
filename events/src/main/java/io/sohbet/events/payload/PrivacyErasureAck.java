package io.sohbet.events.payload;

import java.time.Instant;

/** A service's acknowledgement that it erased a subject ({@code privacy.erasure-ack}). */
public record PrivacyErasureAck(String requestId, String service, Instant completedAt, long rowsAffected) {
}
