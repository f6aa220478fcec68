package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.iys.IysReconciliation;
import io.sohbet.kit.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The differences between the ledger and İYS, and the direction a privacy officer fixes each in (README, İYS). */
@Path("/api/iys/reconciliation")
@Tag(name = "İYS")
@Produces(MediaType.APPLICATION_JSON)
public class IysReconciliationResource {

    /** The side that wins. */
    public record ApplyRequest(@NotNull @Pattern(regexp = "ours-to-iys|iys-to-ours",
            message = "must be ours-to-iys or iys-to-ours") String direction) {
    }

    private final IysReconciliation reconciliation;
    private final SecurityIdentity identity;

    public IysReconciliationResource(IysReconciliation reconciliation, SecurityIdentity identity) {
        this.reconciliation = reconciliation;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "The last comparison of the ledger with İYS", description = "When it ran and each difference: "
            + "subject id, channel, İYS type, the ledger's current state (granted, revoked) and İYS's (ONAY, RET, none), "
            + "open or applied (with the direction, who and when). Subject ids only, never a number.")
    @APIResponse(responseCode = "200", description = "The report")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Uni<IysReconciliation.Report> report() {
        return reconciliation.report();
    }

    @POST
    @Path("/run")
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "Compare the ledger with İYS now", description = "Starts the daily comparison at once (one İYS "
            + "status query per Turkish number and channel, within the status rate limit); its report replaces the last at "
            + "GET /api/iys/reconciliation (ranAt) when done.")
    @APIResponse(responseCode = "202", description = "Started; the report resource in Location")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    @APIResponse(responseCode = "409", description = "İYS is not turned on for any channel, or a run is under way")
    public Response run() {
        if (!reconciliation.enabled()) {
            return Problem.response(409, "Conflict", "İYS is not turned on for any channel");
        }
        if (!reconciliation.start()) {
            return Problem.response(409, "Conflict", "a comparison is under way");
        }
        return Response.accepted().location(java.net.URI.create("/api/iys/reconciliation")).build();
    }

    @POST
    @Path("/{id}/apply")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("privacy-officer")
    @Operation(summary = "Fix a difference in the chosen direction", description = "iys-to-ours revokes marketing on the "
            + "channel in the ledger (source iys); ours-to-iys uploads the current entry's İYS record again. Audited "
            + "(iys.reconciliation.applied). A revocation here is never turned into a grant from an İYS ONAY (409).")
    @APIResponse(responseCode = "200", description = "The difference, applied")
    @APIResponse(responseCode = "400", description = "No or an unknown direction")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer")
    @APIResponse(responseCode = "404", description = "No such difference")
    @APIResponse(responseCode = "409", description = "Not open, or not applicable in that direction")
    public Uni<Response> apply(@PathParam("id") long id, @Valid @NotNull ApplyRequest request) {
        return reconciliation.apply(id, request.direction(), identity.getPrincipal().getName())
                .map(applied -> applied.map(d -> Response.ok(d).build())
                        .orElseGet(() -> Problem.response(404, "Not Found", "no difference " + id)));
    }

    @ServerExceptionMapper
    public Response notApplicable(IysReconciliation.NotApplicable e) {
        return Problem.response(409, "Conflict", e.getMessage());
    }
}
