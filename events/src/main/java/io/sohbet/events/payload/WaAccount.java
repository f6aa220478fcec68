package io.sohbet.events.payload;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Any other webhook field (template status, account, quality and capability updates, value-level errors),
 * passed on verbatim: these carry no customer data.
 */
public record WaAccount(String field, String wabaId, Instant receivedAt, JsonNode value) {
}
