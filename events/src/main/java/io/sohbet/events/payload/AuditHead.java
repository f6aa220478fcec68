package io.sohbet.events.payload;

import java.time.Instant;

/**
 * The head of a service's audit chain ({@code audit.head}, key = service name): the sequence number, HMAC and key id
 * of its newest entry and when that entry was written. A later chain must still hold this entry unchanged.
 */
public record AuditHead(String service, long seq, String hash, String keyId, Instant at) {
}
