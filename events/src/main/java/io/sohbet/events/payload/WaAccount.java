package io.sohbet.events.payload;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Any other webhook field (template status, account, quality and capability updates, coexistence sync and echoes,
 * value-level errors). {@code value} holds only what webhook-service's allow-list knows to be about the business;
 * anything about a customer was dropped before publishing.
 */
public record WaAccount(String field, String wabaId, Instant receivedAt, JsonNode value) {
}
