package io.sohbet.consent.rest;

import io.smallrye.mutiny.Uni;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Internal API for the other services: the data keys that seal subjects' personal fields. */
@Path("/internal/subject-keys")
@Tag(name = "Internal: identity vault keys")
@RolesAllowed("service")
public class SubjectKeyResource {

    private final KeyVault vault;

    public SubjectKeyResource(KeyVault vault) {
        this.vault = vault;
    }

    public record KeyRequest(
            @NotNull @NotEmpty @Size(max = 1000)
            Set<@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String> subjectIds) {
    }

    /**
     * subject id → base64 AES-256 data key; from {@code /find} also subject id → when it was last erased, for every
     * named subject ever erased (one in both was erased and has come back since, with a new key).
     */
    public record KeyBatch(Map<String, String> keys, Map<String, java.time.Instant> erased) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get or create data keys", description = "Role service. Returns the AES-256 data key of every "
            + "named subject, creating it on first use. Keys must only be held in memory by the caller.")
    @APIResponse(responseCode = "200", description = "Keys by subject id")
    @APIResponse(responseCode = "400", description = "Missing, empty, too many or malformed subject ids")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not a service")
    public Uni<KeyBatch> getOrCreate(@Valid @NotNull KeyRequest request) {
        return vault.getOrCreate(request.subjectIds()).map(SubjectKeyResource::encoded);
    }

    @POST
    @Path("/find")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Find data keys", description = "Role service. Returns the AES-256 data keys that exist for the "
            + "named subjects and creates none: an erased subject is absent from the answer. For readers of data that "
            + "was ingested before, so that a late event about an erased person opens nothing and brings no key back.")
    @APIResponse(responseCode = "200", description = "Keys by subject id, subjects without a key left out; and when each "
            + "of the named subjects without a key was erased (readers drop events about them that happened before)")
    @APIResponse(responseCode = "400", description = "Missing, empty, too many or malformed subject ids")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not a service")
    public Uni<KeyBatch> find(@Valid @NotNull KeyRequest request) {
        return vault.find(request.subjectIds()).flatMap(keys -> {
            return vault.erasedAt(request.subjectIds()).map(erased -> new KeyBatch(encoded(keys).keys(), erased));
        });
    }

    private static KeyBatch encoded(Map<String, byte[]> keys) {
        Map<String, String> encoded = new HashMap<>();
        keys.forEach((subject, key) -> encoded.put(subject, Base64.getEncoder().encodeToString(key)));
        return new KeyBatch(encoded, Map.of());
    }
}
