package io.sohbet.segment.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.Problem;
import io.sohbet.segment.config.SegmentConfig;
import io.sohbet.segment.service.Memberships;
import io.sohbet.segment.service.SegmentCatalog;
import io.sohbet.segment.service.SegmentEvaluation;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Segments: built-in ones (domain.md §3) and custom rules; preview, members, sizes. */
@Path("/api/segments")
@Tag(name = "Segments")
@RolesAllowed({"marketer", "analyst", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SegmentResource {

    static final String ID = "[a-z0-9][a-z0-9-]{0,63}";

    private final Pool database;
    private final SegmentEvaluation evaluation;
    private final Memberships memberships;
    private final SegmentConfig config;
    private final SecurityIdentity caller;
    private final SegmentCatalog catalog;

    public SegmentResource(Pool database, SegmentEvaluation evaluation, Memberships memberships, SegmentConfig config,
            SecurityIdentity caller, SegmentCatalog catalog) {
        this.catalog = catalog;
        this.database = database;
        this.evaluation = evaluation;
        this.memberships = memberships;
        this.config = config;
        this.caller = caller;
    }

    public record SegmentInput(
            @NotBlank @Pattern(regexp = ID, message = "must be lowercase letters, digits and dashes") String id,
            @NotBlank @Size(max = 200) String name, @Size(max = 1000) String description, @NotNull JsonNode rule) {
    }

    public record RuleInput(@NotNull JsonNode rule) {
    }

    /** {@code members} is null for an analyst when below the minimum size (suppressed, see {@link #count}). */
    public record SegmentView(String id, String name, String description, JsonNode rule, boolean builtIn, Long members,
            boolean belowMinimumSize, int minimumSize, boolean broken, String problem) {
    }

    /**
     * {@code count} and {@code reachable} are null for an analyst when below the minimum size; {@code sample} is empty
     * for an analyst.
     */
    public record PreviewView(
            @Schema(description = "Profiles matching the rule now; null for an analyst under the minimum segment size") Long count,
            @Schema(description = "An estimate: how many of the matching profiles have marketing consent on WhatsApp as "
                    + "segment-service last heard it (consent.change). campaign-service still asks consent-service at send "
                    + "time; İYS and quiet hours are not counted. Null for an analyst when under the minimum segment size")
            Long reachable,
            @Schema(description = "Up to 20 matching subject ids (marketers and admins; empty for an analyst)") List<String> sample,
            boolean belowMinimumSize, int minimumSize) {
    }

    public record MembersPage(String segmentId, List<String> subjectIds, String nextCursor) {
    }

    public record SizeAt(Instant at, Long members) {
    }

    @GET
    @Operation(summary = "Every segment with its size", description = "Segments under the minimum size are flagged (over-segmentation). A broken segment "
            + "(its stored rule no longer valid, a reference to a broken segment, or an evaluation that failed) says why in "
            + "problem: it is not evaluated, its members stay as they were, until its rule is changed.")
    public Uni<List<SegmentView>> list() {
        return evaluation.catalog().flatMap(catalog -> counts().map(counts -> catalog.segments().stream()
                .map(c -> view(c, counts.getOrDefault(c.definition().id(), 0L))).toList()));
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "404", description = "No such segment")
    public Uni<SegmentView> get(@PathParam("id") @Pattern(regexp = ID, message = "must be a segment id") String id) {
        return evaluation.catalog().flatMap(catalog -> {
            SegmentCatalog.Compiled c = catalog.find(id);
            if (c == null) {
                throw new NotFoundException();
            }
            return counts().map(counts -> view(c, counts.getOrDefault(id, 0L)));
        });
    }

    @POST
    @Path("/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Preview a rule", description = "How many profiles match now, how many of them are reachable "
            + "with marketing consent on WhatsApp (an estimate from consent.change as this service last heard it; "
            + "campaign-service still asks consent-service at send time, and İYS and quiet hours are not counted), and "
            + "(marketers and admins) a sample of up to 20 subject ids; nothing is saved. An analyst gets no sample, and no "
            + "count under the minimum segment size. Age is read only as a range (between, at least minimum-age-range "
            + "years), once per rule counting the segments it refers to.")
    @APIResponse(responseCode = "400", description = "The rule is invalid; each error points at the bad node")
    public Uni<PreviewView> preview(@Valid @NotNull RuleInput input) {
        return evaluation.catalog().flatMap(catalog -> {
            SegmentCatalog.Compiled rule = catalog.check(null, "preview", null, input.rule());
            return evaluation.preview(rule, Instant.now()).map(p -> new PreviewView(count(p.count()), count(p.reachable()),
                    seesPeople() ? p.sample() : List.of(), p.count() < config.minimumSize(), config.minimumSize()));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"marketer", "admin"})
    @Operation(summary = "Create a custom segment", description = "Validated; members are computed by the next evaluation, "
            + "which starts at once in the background.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "The id is taken")
    public Uni<Response> create(@Valid @NotNull SegmentInput input) {
        return catalog.change(tx -> {
            if (catalog.find(input.id()) != null) {
                return Uni.createFrom().item(false);
            }
            catalog.check(input.id(), input.name(), input.description(), input.rule());
            return tx.preparedQuery("INSERT INTO segment (id, name, description, rule, built_in, created_at, updated_at) "
                            + "VALUES ($1, $2, $3, $4, FALSE, now(), now())")
                    .execute(Tuple.of(input.id(), input.name(), input.description(), input.rule().toString())).replaceWith(true);
        }).map(created -> {
            if (!created) {
                return Problem.response(409, "Conflict", "a segment with this id exists", null);
            }
            reevaluateSoon(null);
            return Response.created(URI.create("/api/segments/" + input.id())).entity(view(catalog.find(input.id()), 0)).build();
        });
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"marketer", "admin"})
    @Operation(summary = "Change a custom segment", description = "Also mends a broken segment. Members follow in the "
            + "evaluation that starts at once in the background.")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "409", description = "A built-in segment")
    public Uni<Response> update(@PathParam("id") @Pattern(regexp = ID, message = "must be a segment id") String id,
            @Valid @NotNull SegmentInput input) {
        return catalog.change(tx -> {
            if (catalog.find(id) == null) {
                throw new NotFoundException();
            }
            if (catalog.isBuiltIn(id)) {
                return Uni.createFrom().item(Problem.response(409, "Conflict", "built-in segments are changed through configuration", null));
            }
            catalog.check(id, input.name(), input.description(), input.rule());
            return tx.preparedQuery("UPDATE segment SET name = $2, description = $3, rule = $4, problem = NULL, updated_at = now() "
                            + "WHERE id = $1")
                    .execute(Tuple.of(id, input.name(), input.description(), input.rule().toString()))
                    .map(x -> Response.noContent().build());
        }).invoke(r -> {
            if (r.getStatus() == 204) {
                reevaluateSoon(null);
            }
        });
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({"marketer", "admin"})
    @Operation(summary = "Delete a custom segment", description = "Its members leave it (announced on segment.membership).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such segment")
    @APIResponse(responseCode = "409", description = "Built in, or another segment refers to it")
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = ID, message = "must be a segment id") String id) {
        return catalog.change(tx -> {
            if (catalog.find(id) == null) {
                throw new NotFoundException();
            }
            if (catalog.isBuiltIn(id) || catalog.segments().stream().anyMatch(c -> c.references().contains(id))) {
                return Uni.createFrom().item(Problem.response(409, "Conflict", "built in, or used by another segment", null));
            }
            return tx.preparedQuery("DELETE FROM segment WHERE id = $1").execute(Tuple.of(id))
                    .chain(() -> memberships.removeSegment(tx, id, Instant.now())).map(x -> Response.noContent().build());
        });
    }

    @GET
    @Path("/{id}/members")
    @RolesAllowed({"marketer", "admin", "segment-members"})
    @Operation(summary = "Members, paged by cursor", description = "Subject ids in order; pass nextCursor back as cursor. "
            + "For campaign-service's audience snapshots.")
    public Uni<MembersPage> members(@PathParam("id") @Pattern(regexp = ID, message = "must be a segment id") String id,
            @QueryParam("cursor") @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be a cursor from a previous page") String cursor,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10000) int limit) {
        return evaluation.catalog().flatMap(catalog -> {
            if (catalog.find(id) == null) {
                throw new NotFoundException();
            }
            return database.preparedQuery("SELECT subject_id FROM segment_member WHERE segment_id = $1 AND subject_id > $2 "
                    + "ORDER BY subject_id LIMIT $3").execute(Tuple.of(id, cursor == null ? "" : cursor, limit)).map(rows -> {
                        List<String> ids = new ArrayList<>();
                        rows.forEach(r -> ids.add(r.getString("subject_id")));
                        return new MembersPage(id, ids, ids.size() == limit ? ids.get(ids.size() - 1) : null);
                    });
        });
    }

    @GET
    @Path("/{id}/sizes")
    @Operation(summary = "Size over time", description = "Members counted at each scheduled evaluation, newest first.")
    public Uni<List<SizeAt>> sizes(@PathParam("id") @Pattern(regexp = ID, message = "must be a segment id") String id,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return database.preparedQuery("SELECT at, members FROM segment_size WHERE segment_id = $1 ORDER BY at DESC LIMIT $2")
                .execute(Tuple.of(id, limit)).map(rows -> {
                    List<SizeAt> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new SizeAt(r.getOffsetDateTime("at").toInstant(), count(r.getLong("members")))));
                    return out;
                });
    }

    @POST
    @Path("/evaluations")
    @RolesAllowed("admin")
    @Operation(summary = "Re-evaluate everything now", description = "Recomputes every profile and segment (it also runs on a schedule).")
    public Uni<SegmentEvaluation.Run> evaluate() {
        return evaluation.reevaluateAll(Instant.now());
    }

    private void reevaluateSoon(Object ignored) {
        evaluation.reevaluateAll(Instant.now()).subscribe().with(r -> { }, e -> { });
    }

    private Uni<Map<String, Long>> counts() {
        return database.query("SELECT segment_id, count(*) AS n FROM segment_member GROUP BY segment_id").execute().map(rows -> {
            Map<String, Long> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getString("segment_id"), r.getLong("n"));
            }
            return out;
        });
    }

    private SegmentView view(SegmentCatalog.Compiled c, long members) {
        return new SegmentView(c.definition().id(), c.definition().name(), c.definition().description(), c.definition().rule(),
                c.definition().builtIn(), count(members), members < config.minimumSize(), config.minimumSize(), c.broken(), c.problem());
    }

    /** Whether the caller may see who is in a segment (subject ids), not only how many: marketers and admins. */
    private boolean seesPeople() {
        return caller.hasRole("marketer") || caller.hasRole("admin");
    }

    /**
     * A member count as the caller may read it: an analyst gets no count under the minimum segment size (null; the
     * flag {@code belowMinimumSize} says why), so that a narrow rule cannot tell them about a handful of people.
     */
    private Long count(long members) {
        return members < config.minimumSize() && !seesPeople() ? null : members;
    }
}
