package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.iys.IysBackfill;
import io.sohbet.consent.iys.IysReconciliation;
import io.sohbet.kit.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The İYS backfill of the consents from before İYS was turned on (README, İYS: backfill). */
@Path("/api/iys/backfill")
@Tag(name = "İYS")
@Produces(MediaType.APPLICATION_JSON)
public class IysBackfillResource {

    private final IysBackfill backfill;
    private final IysReconciliation reconciliation;
    private final SecurityIdentity identity;

    public IysBackfillResource(IysBackfill backfill, IysReconciliation reconciliation, SecurityIdentity identity) {
        this.backfill = backfill;
        this.reconciliation = reconciliation;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("privacy-officer")
    @Operation(summary = "Check the consents from before İYS with İYS, and queue what it lacks", description = "Starts "
            + "the backfill of every mirrored channel again from the first ledger entry (entries with an İYS record are "
            + "skipped); each current marketing entry of a Turkish number without one is checked with one İYS status "
            + "query (status rate limit) and queued, found in İYS already, or skipped with the reason. Runs in the "
            + "background, resumes after a restart; progress under backfill in GET /api/iys/status. Audited "
            + "(iys.backfill.started).")
    @APIResponse(responseCode = "202", description = "Started: each channel's progress; GET /api/iys/status in Location")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer")
    @APIResponse(responseCode = "409", description = "İYS is not turned on for any channel")
    public Uni<Response> start() {
        if (!reconciliation.enabled()) {
            return Uni.createFrom().item(Problem.response(409, "Conflict", "İYS is not turned on for any channel"));
        }
        return backfill.start(identity.getPrincipal().getName()).map(progress -> Response.accepted(progress)
                .location(java.net.URI.create("/api/iys/status")).build());
    }
}
