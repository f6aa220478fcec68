package io.sohbet.consent.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.iys.IysStatus;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The state of the İYS sync (README, İYS). */
@Path("/api/iys/status")
@Tag(name = "İYS")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class IysStatusResource {

    private final IysStatus status;

    public IysStatusResource(IysStatus status) {
        this.status = status;
    }

    @GET
    @Operation(summary = "The İYS sync state", description = "Channels mirrored to İYS and enforced; records per state "
            + "(pending, sending, sent, accepted, refused, failed, skipped, received); how many are past or within a day of "
            + "their 3-business-day deadline; when the citizens' change feed was last read; the latest 50 records refused "
            + "or failing, with İYS's code and message; each channel's backfill of the consents from before İYS (running or "
            + "done: queued, found in İYS already, skipped); the RETs sent to İYS for erased people, per state. Subject "
            + "ids only.")
    @APIResponse(responseCode = "200", description = "The state")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Uni<IysStatus.Report> status() {
        return status.report();
    }
}
