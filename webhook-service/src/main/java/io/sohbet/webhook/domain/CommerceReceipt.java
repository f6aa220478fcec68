package io.sohbet.webhook.domain;

import java.time.Instant;

/**
 * A shop webhook that was accepted and published (table {@code commerce_receipt}), kept so that the shop's retries
 * are idempotent: the hashed shop event id, a keyed fingerprint of the body, the event type and when it came.
 */
public record CommerceReceipt(String shopEventId, String bodySha256, String eventType, Instant receivedAt) {
}
