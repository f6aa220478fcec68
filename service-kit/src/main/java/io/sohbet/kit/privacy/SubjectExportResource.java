package io.sohbet.kit.privacy;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Comparator;

/**
 * Internal API for consent-service's access requests: every row of this service's database that is about the
 * subject, from the tables the service declared ({@link SubjectData}; {@link SubjectDataCheck} makes sure that is
 * every table with a column that may name a subject), as {@code {"service", "subjectId", "tables": {"<table>": [<row>]}}}.
 *
 * <p>Opt-in at build time: only services built with {@code sohbet.privacy.export=true} serve it.
 */
@Path("/internal/subjects")
@Tag(name = "Internal: data-subject export")
@RolesAllowed(SubjectExportResource.ROLE)
@IfBuildProperty(name = SubjectExportResource.ENABLED, stringValue = "true")
public class SubjectExportResource {

    public static final String ENABLED = "sohbet.privacy.export";
    /** The role on this service's client that consent-service's account holds, and only it. */
    public static final String ROLE = "subject-export";

    private final SubjectData declared;
    private final Pool database;

    public SubjectExportResource(SubjectData declared, Pool database) {
        this.declared = declared;
        this.database = database;
    }

    @GET
    @Path("/{subjectId}/export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Everything held on a subject", description = "Role subject-export (consent-service). Rows of every table that names "
            + "subjects, as JSON; sealed personal fields stay sealed.")
    @APIResponse(responseCode = "200", description = "The subject's rows by table (empty arrays where there are none)")
    @APIResponse(responseCode = "400", description = "Not a subject id (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not role subject-export")
    public Uni<JsonObject> export(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}",
            message = "must be a subject id") String subjectId) {
        JsonObject byTable = new JsonObject();
        return Multi.createFrom().iterable(declared.tables().stream().sorted(Comparator.comparing(SubjectTable::name)).toList())
                .onItem().transformToUniAndConcatenate(table -> database.preparedQuery("SELECT to_jsonb(t)::text AS row FROM "
                                + SubjectDataCheck.quoted(table.name()) + " t WHERE t." + SubjectDataCheck.quoted(table.subjectColumn())
                                + " = $1").execute(Tuple.of(subjectId))
                        .invoke(rows -> {
                            JsonArray out = new JsonArray();
                            rows.forEach(row -> out.add(new JsonObject(row.getString("row"))));
                            byTable.put(table.name(), out);
                        }))
                .collect().last()
                .map(done -> new JsonObject().put("service", declared.service()).put("subjectId", subjectId).put("tables", byTable));
    }
}
