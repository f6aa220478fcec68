package io.sohbet.consent.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.IdentifierLinks;
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

import java.util.Map;
import java.util.Set;

/**
 * Internal API: which subject the identifiers of a webhook belong to (role {@code identifiers:resolve} on this service's
 * client, held by webhook-service). Keyed hashes in, subject ids out: no clear identifier travels.
 */
@Path("/internal/identifiers/resolve")
@Tag(name = "Internal: identifier links")
@RolesAllowed("identifiers:resolve")
public class IdentifierResolveResource {

    private final IdentifierLinks links;

    public IdentifierResolveResource(IdentifierLinks links) {
        this.links = links;
    }

    public record ResolveRequest(
            @NotNull @NotEmpty @Size(max = 1000)
            Set<@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a keyed hash") String> hashes) {
    }

    /** keyed hash → subject id, for the hashes linked to a subject; the others are absent. */
    public record Resolution(Map<String, String> subjects) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve identifiers to subjects", description = "Role identifiers:resolve (webhook-service). "
            + "The keyed hashes (base64url HMAC-SHA256 with the pepper: E.164 phone, 'bsuid:' + BSUID, 'parent-bsuid:' + "
            + "parent BSUID, 'username:' + lower-case username) of the identifiers a webhook names; answers the subject each "
            + "linked one belongs to. An unlinked hash is absent: the caller derives the subject as before.")
    @APIResponse(responseCode = "200", description = "Subject ids by keyed hash, for the hashes that are linked")
    @APIResponse(responseCode = "400", description = "Missing, empty, too many (over 1000) or malformed hashes")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not the operation's role")
    public Uni<Resolution> resolve(@Valid @NotNull ResolveRequest request) {
        return links.subjectsOf(request.hashes()).map(Resolution::new);
    }
}
