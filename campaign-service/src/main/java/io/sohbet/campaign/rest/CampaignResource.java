package io.sohbet.campaign.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.service.Campaigns.Campaign;
import io.sohbet.campaign.service.Campaigns;
import io.sohbet.campaign.service.TemplateCheck;
import io.sohbet.kit.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Campaigns: create and edit drafts, schedule, pause, resume, cancel, and follow progress (JSON or Server-Sent Events). */
@Path("/api/campaigns")
@Tag(name = "Campaigns")
@RolesAllowed({"marketer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    static final String ID = "[0-9a-f-]{36}";
    static final String ID_MESSAGE = "must be a campaign id";

    private final Campaigns campaigns;
    private final TemplateCheck templates;
    private final SecurityIdentity identity;

    public CampaignResource(Campaigns campaigns, TemplateCheck templates, SecurityIdentity identity) {
        this.campaigns = campaigns;
        this.templates = templates;
        this.identity = identity;
    }

    /**
     * A campaign with its recipients per state. {@code winnerReason} says why the A/B winner (or fallback) was chosen,
     * or, before the decision, why it waits; {@code pauseReason} why the service paused the campaign (a template Meta
     * paused, disabled or re-categorised), null when a person paused it.
     */
    public record CampaignView(String id, String name, String status, CampaignDefinition definition, String createdBy,
            Instant createdAt, Instant updatedAt, Instant startAt, Instant plannedAt, Integer audience, Instant testEndsAt,
            String winner, String winnerReason, Instant finishedAt, String pauseReason, Map<String, Long> progress) {

        static CampaignView of(Campaign c, Map<String, Long> progress) {
            return new CampaignView(c.id(), c.name(), c.status(), c.definition(), c.createdBy(), c.createdAt(), c.updatedAt(),
                    c.startAt(), c.plannedAt(), c.audience(), c.testEndsAt(), c.winner(), c.winnerReason(), c.finishedAt(),
                    c.pauseReason(), progress);
        }
    }

    /** Progress as streamed: status and recipients per state. */
    public record ProgressView(String id, String status, Integer audience, String winner, Map<String, Long> progress) {
    }

    public record ScheduleRequest(Instant startAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a draft", description = "Validated in full; nothing is sent until it is scheduled.")
    @APIResponse(responseCode = "201", description = "Created; Location points at it")
    @APIResponse(responseCode = "400", description = "Invalid definition (problem+json with a pointer per field)")
    public Uni<Response> create(@NotNull @Valid CampaignDefinition definition) {
        check(definition);
        return campaigns.create(definition, identity.getPrincipal().getName())
                .map(c -> Response.created(URI.create("/api/campaigns/" + c.id())).entity(CampaignView.of(c, null)).build());
    }

    @GET
    @Operation(summary = "Campaigns, newest first")
    public Uni<List<CampaignView>> list(
            @QueryParam("status") @Pattern(regexp = "draft|scheduled|running|paused|completed|cancelled",
                    message = "must be a campaign status") String status,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return campaigns.list(status, limit).map(all -> all.stream().map(c -> CampaignView.of(c, null)).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A campaign and its recipients per state")
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<CampaignView> get(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return existing(campaigns.find(id)).flatMap(c -> campaigns.progress(id).map(p -> CampaignView.of(c, p)));
    }

    /** Why recipients are not (yet) sent, per state and reason. */
    public record ReasonsView(String id, List<Campaigns.Reason> reasons) {
    }

    @GET
    @Path("/{id}/reasons")
    @Operation(summary = "Why recipients were not sent", description = "Recipients per state, Meta error code and reason, for "
            + "those that carry one: skipped (no-consent, no-iys-consent, no-contact; frequency cap; outside the customer "
            + "service window), failed and deferred (Meta's error code, told in our words: Meta's titles and details are free "
            + "text and are not passed on), unconfirmed (why the outcome is unknown), queued again (a transient error, the "
            + "messaging tier limit). Most recipients first, at most 200 lines.")
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<ReasonsView> reasons(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return existing(campaigns.find(id)).flatMap(c -> campaigns.reasons(id).map(r -> new ReasonsView(id, r)));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a draft's definition")
    @APIResponse(responseCode = "409", description = "Not a draft")
    public Uni<CampaignView> replace(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id,
            @NotNull @Valid CampaignDefinition definition) {
        check(definition);
        return existing(campaigns.replace(id, definition)).map(c -> CampaignView.of(c, null));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a draft")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "Not a draft (cancel it instead)")
    public Uni<Response> delete(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return campaigns.delete(id).map(deleted -> {
            if (!deleted) {
                throw new NotFoundException();
            }
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/{id}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Schedule a draft", description = "Starts at startAt (or the definition's schedule.at, or now): the "
            + "segments are snapshotted then and sending begins. Template messages are checked first against the WhatsApp "
            + "Business Account's templates (name, language, APPROVED, parameters).")
    @APIResponse(responseCode = "200", description = "Scheduled")
    @APIResponse(responseCode = "400", description = "Invalid start time (problem+json with a pointer)")
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Not a draft")
    @APIResponse(responseCode = "422", description = "A template cannot be sent as defined (problem+json with a pointer per problem)")
    @APIResponse(responseCode = "503", description = "The template list cannot be read from the Cloud API right now")
    public Uni<CampaignView> schedule(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id, ScheduleRequest request) {
        return existing(campaigns.find(id)).flatMap(c -> {
            Instant start = request != null && request.startAt() != null ? request.startAt() : c.definition().scheduleOrNow().at();
            if (start != null && start.isAfter(Instant.now().plus(Duration.ofDays(365)))) {
                throw new InvalidRequestException("/startAt", "must be within a year");
            }
            if (!Campaigns.DRAFT.equals(c.status())) {
                return existing(campaigns.schedule(id, start)).map(s -> CampaignView.of(s, null));
            }
            return usableTemplates(c).chain(() -> existing(campaigns.schedule(id, start))).map(s -> CampaignView.of(s, null));
        });
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause a running campaign", description = "No new message starts after the current claim (well under a second).")
    public Uni<CampaignView> pause(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return existing(campaigns.pause(id)).map(c -> CampaignView.of(c, null));
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused campaign", description = "Recipients who came due meanwhile are sent to first "
            + "(quiet hours still apply). Its templates are checked again first (one Meta paused may be approved again).")
    @APIResponse(responseCode = "200", description = "Running again")
    @APIResponse(responseCode = "404", description = "No such campaign")
    @APIResponse(responseCode = "409", description = "Not paused")
    @APIResponse(responseCode = "422", description = "A template still cannot be sent (problem+json with a pointer per problem)")
    @APIResponse(responseCode = "503", description = "The template list cannot be read from the Cloud API right now")
    public Uni<CampaignView> resume(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return existing(campaigns.find(id)).flatMap(c -> !Campaigns.PAUSED.equals(c.status()) ? Uni.createFrom().voidItem()
                        : usableTemplates(templates.freshProblems(c.definition())))
                .chain(() -> existing(campaigns.resume(id))).map(c -> CampaignView.of(c, null));
    }

    /** Fails with 422 when a template of the campaign cannot be sent as defined. */
    private Uni<Void> usableTemplates(Campaign c) {
        return usableTemplates(templates.problems(c.definition()));
    }

    private static Uni<Void> usableTemplates(Uni<List<Problem.FieldError>> found) {
        return found.invoke(problems -> {
            if (!problems.isEmpty()) {
                throw new UnusableTemplateException(problems);
            }
        }).replaceWithVoid();
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a scheduled, running or paused campaign", description = "Recipients not yet messaged are cancelled.")
    public Uni<CampaignView> cancel(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return existing(campaigns.cancel(id)).map(c -> CampaignView.of(c, null));
    }

    @GET
    @Path("/{id}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Progress as Server-Sent Events", description = "An event whenever the counts or the status change "
            + "(checked every second); the stream ends after the campaign completes or is cancelled.")
    public Multi<ProgressView> progress(@PathParam("id") @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
        return existing(campaigns.find(id)).onItem().transformToMulti(first -> Multi.createFrom().ticks().every(Duration.ofSeconds(1))
                        .onOverflow().drop()
                        .onItem().transformToUniAndConcatenate(tick -> campaigns.find(id).flatMap(c -> campaigns.progress(id)
                                .map(p -> new ProgressView(c.id(), c.status(), c.audience(), c.winner(), p))))
                        .select().first(new UntilFinished()::test)
                        .select().where(new ChangeFilter()::changed));
    }

    /** Lets views through up to and including the first of a finished campaign. */
    static final class UntilFinished {

        private boolean finished;

        synchronized boolean test(ProgressView v) {
            if (finished) {
                return false;
            }
            finished = v.status().equals(Campaigns.COMPLETED) || v.status().equals(Campaigns.CANCELLED);
            return true;
        }
    }

    /** Lets a view through when it differs from the previous one. */
    static final class ChangeFilter {

        private ProgressView last;

        synchronized boolean changed(ProgressView v) {
            boolean changed = !Objects.equals(v, last);
            last = v;
            return changed;
        }
    }

    private static Uni<Campaign> existing(Uni<Campaign> found) {
        return found.map(c -> {
            if (c == null) {
                throw new NotFoundException();
            }
            return c;
        });
    }

    private static void check(CampaignDefinition definition) {
        List<Problem.FieldError> problems = definition.problems();
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }
}
