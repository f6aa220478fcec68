package io.sohbet.consent.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A data-subject request's status: deadlines, time taken and each service's progress. {@code outcome} says what a
 * rectification changed: {@code changed} (at least one field got a new value) or {@code unchanged} (the vault held
 * these values already; the request is completed all the same); absent for the other types.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DsrView(String id, String type, String subjectId, String status,
        @Schema(enumeration = {"changed", "unchanged"}, description = "For a rectification: whether any field got a new value")
        String outcome, String requestedBy,
        @Schema(enumeration = {"api", "whatsapp"}, description = "Where the request came from: the API, or the person over WhatsApp")
        String source, Instant receivedAt,
        Deadlines deadlines, Instant dueAt, boolean overdue, Instant completedAt, Duration took, List<Progress> progress,
        JsonNode detail, String export) {

    /** KVKK: 30 days; GDPR: one month. {@code dueAt} is the earlier. */
    public record Deadlines(Instant kvkk, Instant gdpr) {
    }

    /** One service's part: pending, done or failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progress(String service, String status, Instant at, Long rowsAffected, String error) {
    }
}
