package io.sohbet.consent.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.AuditEntry;
import io.sohbet.consent.service.AuditLog;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The tamper-evident audit log of every consent change and admin action on personal data. */
@Path("/api/audit")
@Tag(name = "Audit")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Audit entries", description = "Newest first; page with before = the last seq you saw.")
    public Uni<List<AuditEntry>> list(
            @QueryParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String subjectId,
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return audit.list(subjectId, before, limit);
    }

    @GET
    @Path("/verify")
    @Operation(summary = "Verify the chain", description = "Recomputes every entry's hash and link; reports the first "
            + "entry that was changed, inserted or removed, and the head hash (keep it elsewhere to detect truncation).")
    public Uni<AuditLog.Verification> verify() {
        return audit.verify();
    }
}
