package io.sohbet.consent.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.ConsentRuleException;
import io.sohbet.consent.service.KeyVault;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Internal API for the other services: the data keys that seal subjects' personal fields. */
@Path("/internal/subject-keys")
@Tag(name = "Internal: identity vault keys")
public class SubjectKeyResource {

    static final String EARLIEST_TEXT = "2000-01-01T00:00:00Z";
    static final Instant EARLIEST = Instant.parse(EARLIEST_TEXT);

    private final KeyVault vault;

    public SubjectKeyResource(KeyVault vault) {
        this.vault = vault;
    }

    /**
     * @param happenedAt optional, get-or-create only: subject id → when the latest event the key is for happened (the
     *                   payload's own time); a subject erased at or after it, without a key now, gets none
     */
    public record KeyRequest(
            @NotNull @NotEmpty @Size(max = 1000)
            Set<@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String> subjectIds,
            @Schema(description = "Get-or-create only, optional: subject id → when the latest event its key is for "
                    + "happened (RFC 3339). No key is created for a subject erased at or after that time.")
            Map<@NotNull String, @NotNull Instant> happenedAt) {
    }

    /**
     * subject id → base64 AES-256 data key; and subject id → when it was last erased, for every named subject ever
     * erased (one in both was erased and has come back since, with a new key; one only in {@code erased} has no key:
     * get-or-create refused it, or find found none).
     */
    public record KeyBatch(Map<String, String> keys, Map<String, Instant> erased) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("subject-keys:create")
    @Operation(summary = "Get or create data keys", description = "Role subject-keys:create (webhook-service). Returns the AES-256 data key of every "
            + "named subject, creating it on first use, except for a subject given a time in happenedAt that was erased "
            + "at or after that time and has no key now: a late event about an erased person (a retried webhook) brings "
            + "no key back. Keys must only be held in memory by the caller.")
    @APIResponse(responseCode = "200", description = "Keys by subject id; and when each named subject ever erased was "
            + "last erased (a subject there without a key was refused: drop its data)")
    @APIResponse(responseCode = "400", description = "Missing, empty, too many or malformed subject ids; a time for a "
            + "subject not named, before " + EARLIEST_TEXT + " or more than a day ahead")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not the operation's role")
    public Uni<KeyBatch> getOrCreate(@Valid @NotNull KeyRequest request) {
        Map<String, Instant> happenedAt = request.happenedAt() == null ? Map.of() : request.happenedAt();
        requirePlausible(request.subjectIds(), happenedAt);
        return vault.getOrCreate(request.subjectIds(), happenedAt)
                .map(grant -> new KeyBatch(encoded(grant.keys()).keys(), grant.erased()));
    }

    /** Each time is for a named subject, not before {@link #EARLIEST_TEXT} and at most a day ahead of this clock. */
    private static void requirePlausible(Set<String> subjects, Map<String, Instant> happenedAt) {
        if (!subjects.containsAll(happenedAt.keySet())) {
            throw new ConsentRuleException("/happenedAt", "has a time for a subject not in subjectIds");
        }
        Instant latest = Instant.now().plus(Duration.ofDays(1));
        if (happenedAt.values().stream().anyMatch(at -> at.isBefore(EARLIEST) || at.isAfter(latest))) {
            throw new ConsentRuleException("/happenedAt", "has a time before " + EARLIEST_TEXT + " or more than a day ahead");
        }
    }

    @POST
    @Path("/find")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("subject-keys:read")
    @Operation(summary = "Find data keys", description = "Role subject-keys:read (webhook-, metrics-, segment-service). Returns the AES-256 data keys that exist for the "
            + "named subjects and creates none: an erased subject is absent from the answer. For readers of data that "
            + "was ingested before, so that a late event about an erased person opens nothing and brings no key back.")
    @APIResponse(responseCode = "200", description = "Keys by subject id, subjects without a key left out; and when each "
            + "of the named subjects without a key was erased (readers drop events about them that happened before)")
    @APIResponse(responseCode = "400", description = "Missing, empty, too many or malformed subject ids")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not the operation's role")
    public Uni<KeyBatch> find(@Valid @NotNull KeyRequest request) {
        return vault.find(request.subjectIds()).flatMap(keys -> {
            return vault.erasedAt(request.subjectIds()).map(erased -> new KeyBatch(encoded(keys).keys(), erased));
        });
    }

    /**
     * Which named subjects have a key now, and when each named subject ever erased was last erased: what an erasure
     * check needs, without a key.
     */
    public record ErasureBatch(Set<String> keyed, Map<String, Instant> erased) {
    }

    @POST
    @Path("/erasures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("subject-erasures:read")
    @Operation(summary = "Erasure checks", description = "Role subject-erasures:read (webhook-, metrics-, segment-, "
            + "campaign-service). Says which named subjects have a data key now and when each one ever erased was last "
            + "erased, and returns no key: consumers drop an event about a person without a key, or one that happened at "
            + "or before the person's latest erasure, so that a late event brings no one back. happenedAt is not read.")
    @APIResponse(responseCode = "200", description = "Subjects with a key; when each named subject ever erased was last erased")
    @APIResponse(responseCode = "400", description = "Missing, empty, too many or malformed subject ids")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not the operation's role")
    public Uni<ErasureBatch> erasures(@Valid @NotNull KeyRequest request) {
        return vault.keyed(request.subjectIds())
                .flatMap(keyed -> vault.erasedAt(request.subjectIds()).map(erased -> new ErasureBatch(keyed, erased)));
    }

    private static KeyBatch encoded(Map<String, byte[]> keys) {
        Map<String, String> encoded = new HashMap<>();
        keys.forEach((subject, key) -> encoded.put(subject, Base64.getEncoder().encodeToString(key)));
        return new KeyBatch(encoded, Map.of());
    }
}
