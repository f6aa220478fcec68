package io.sohbet.metrics.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.kit.SubjectTables;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Internal API for consent-service's access requests: every row of this service's database that is about the
 * subject. The tables are found by their {@code subject_id} column, so a table added later is exported without
 * anyone remembering to add it here.
 */
@Path("/internal/subjects")
@Tag(name = "Internal: data-subject export")
@RolesAllowed("service")
public class SubjectExportResource {

    static final String SERVICE = "metrics-service";

    private final Pool database;

    public SubjectExportResource(Pool database) {
        this.database = database;
    }

    @GET
    @Path("/{subjectId}/export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Everything held on a subject", description = "Role service. Rows of every table with a "
            + "subject_id column, as JSON; sealed personal fields stay sealed.")
    public Uni<JsonObject> export(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}",
            message = "must be a subject id") String subjectId) {
        return SubjectTables.export(database, SERVICE, subjectId);
    }
}
