package io.sohbet.campaign.rest;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Internal API for consent-service's access requests: every row of this service's database that is about the
 * subject. The tables are found by their {@code subject_id} column, so a table added later is exported without
 * anyone remembering to add it here.
 */
@Path("/internal/subjects")
@Tag(name = "Internal: data-subject export")
@RolesAllowed("service")
public class SubjectExportResource {

    static final String SERVICE = "campaign-service";

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
        return database.query("SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        + "AND column_name = 'subject_id' ORDER BY table_name").execute()
                .flatMap(tables -> {
                    List<Uni<Void>> reads = new ArrayList<>();
                    JsonObject out = new JsonObject().put("service", SERVICE).put("subjectId", subjectId);
                    JsonObject byTable = new JsonObject();
                    out.put("tables", byTable);
                    for (Row table : tables) {
                        String name = table.getString("table_name");
                        byTable.put(name, new JsonArray());
                        reads.add(database.preparedQuery("SELECT to_jsonb(t)::text AS row FROM \"" + name.replace("\"", "")
                                        + "\" t WHERE subject_id = $1").execute(Tuple.of(subjectId))
                                .invoke(rows -> rows.forEach(r -> byTable.getJsonArray(name).add(new JsonObject(r.getString("row")))))
                                .replaceWithVoid());
                    }
                    return reads.isEmpty() ? Uni.createFrom().item(out)
                            : Uni.join().all(reads).andFailFast().replaceWith(out);
                });
    }
}
