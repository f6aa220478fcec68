package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.AuditEntry;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.AuditVerifier;
import io.sohbet.consent.service.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The tamper-evident audit log of every consent change, admin action and read of personal data. */
@Path("/api/audit")
@Tag(name = "Audit")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog audit;
    private final AuditVerifier verifier;
    private final SecurityIdentity identity;

    public AuditResource(AuditLog audit, AuditVerifier verifier, SecurityIdentity identity) {
        this.audit = audit;
        this.verifier = verifier;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Audit entries", description = "Newest first; page with before = the last seq you saw. With "
            + "subjectId: the entries about the subject and those naming its keyed hash (details.subjects), e.g. every "
            + "contact resolution that handed out its number, to which caller and client, and when. Every read is itself "
            + "audited: a search by subject with its count, a page without one with the keyed hashes of the subjects "
            + "its entries are about.")
    @APIResponse(responseCode = "200", description = "The entries")
    @APIResponse(responseCode = "400", description = "Invalid subject id, before or limit")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Uni<List<AuditEntry>> list(
            @QueryParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String subjectId,
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        Uni<List<AuditEntry>> found = audit.list(subjectId, before, limit);
        if (subjectId == null) {
            // the entries name the people they are about: the page is a read of them too, named by keyed hashes
            return found.call(entries -> audit.appendRead(Caller.of(identity), "audit.listed", null,
                    entries.stream().map(e -> e.subjectId).filter(java.util.Objects::nonNull).collect(Collectors.toSet()),
                    Map.of("entries", entries.size())));
        }
        return found.call(entries -> audit.appendRead(Caller.of(identity), "audit.subject-read", subjectId, List.of(),
                Map.of("entries", entries.size())));
    }

    @GET
    @Path("/verify")
    @Operation(summary = "Verify the chain", description = "Recomputes every entry's HMAC (legacy entries from before "
            + "the keyed chain: their SHA-256, up to the marked boundary) and link, then compares the chain's end with "
            + "the newest head published to the audit.head topic; reports the first entry that was changed, inserted "
            + "or removed, or the chain cut short or rewritten as a whole.")
    @APIResponse(responseCode = "200", description = "The verification (valid or not)")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Uni<AuditVerifier.Verification> verify() {
        return verifier.verify();
    }
}
