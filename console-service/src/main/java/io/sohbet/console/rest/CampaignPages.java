package io.sohbet.console.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.sohbet.console.client.ApiProblem;
import io.sohbet.console.client.CampaignApi;
import io.sohbet.console.client.SegmentApi;
import io.sohbet.console.service.CampaignDrafts;
import io.sohbet.console.service.CampaignForm;
import io.sohbet.console.service.Viewer;
import io.sohbet.console.service.Viewers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The marketer's campaigns, on campaign-service as the signed-in user: the list, the creation form (templates from
 * campaign-service's synchronised list, segments from segment-service, variants with their split, hold-out, schedule
 * and send-time mode, quiet hours, frequency cap) whose launch creates the draft and schedules it, and a campaign's
 * page with its live progress, relayed from campaign-service's stream.
 */
@Path("/marketing/campaigns")
@RolesAllowed({"marketer", "admin"})
@Produces(MediaType.TEXT_HTML)
public class CampaignPages {

    static final String ID = "[0-9a-f-]{36}";
    public static final String PROGRESS = "progress";
    public static final String DONE = "done";
    /** The statuses after which a campaign's progress no longer changes: only then is {@link #DONE} sent. */
    static final Set<String> FINISHED = Set.of("completed", "cancelled");
    private static final Logger LOG = Logger.getLogger(CampaignPages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance campaigns(Viewer viewer, List<CampaignApi.Campaign> campaigns);

        static native TemplateInstance create(Viewer viewer, CampaignForm form, List<CampaignApi.Template> templates,
                List<SegmentApi.Segment> segments);

        static native TemplateInstance campaignForm(Viewer viewer, CampaignForm form, List<CampaignApi.Template> templates,
                List<SegmentApi.Segment> segments);

        static native TemplateInstance campaign(Viewer viewer, CampaignApi.Campaign campaign, boolean live);

        static native TemplateInstance progress(Viewer viewer, CampaignApi.Progress progress);
    }

    private final CampaignApi campaigns;
    private final SegmentApi segments;
    private final Viewers viewers;
    private final ObjectMapper json;
    private final OidcSession session;

    public CampaignPages(@RestClient CampaignApi campaigns, @RestClient SegmentApi segments, Viewers viewers, ObjectMapper json,
            OidcSession session) {
        this.json = json;
        this.session = session;
        this.campaigns = campaigns;
        this.segments = segments;
        this.viewers = viewers;
    }

    @GET
    public TemplateInstance list() {
        Viewer viewer = viewers.current();
        return Templates.campaigns(viewer, campaigns.campaigns(null, 100)).setLocale(viewer.locale());
    }

    @GET
    @Path("new")
    public TemplateInstance form() {
        Viewer viewer = viewers.current();
        return Templates.create(viewer, CampaignForm.empty(), campaigns.templates(), segments.segments()).setLocale(viewer.locale());
    }

    /**
     * Launch: creates the draft, then schedules it (its start, or now). A definition campaign-service refuses (400) or
     * whose templates cannot be sent (422) comes back with each problem beside its field; a draft that could not be
     * scheduled is deleted again, so a retry does not leave drafts behind. On success: the campaign's page (HX-Redirect).
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response launch(MultivaluedMap<String, String> fields) {
        Viewer viewer = viewers.current();
        CampaignForm form = CampaignForm.of(fields);
        CampaignDrafts.Result draft = CampaignDrafts.of(form, viewer.zone(), viewer.english());
        if (!draft.errors().isEmpty()) {
            return invalid(viewer, form.withErrors(null, draft.errors()));
        }
        CampaignApi.Campaign created;
        try {
            created = campaigns.create(draft.definition());
        } catch (ClientWebApplicationException refused) {
            return refusal(viewer, form, refused);
        }
        try {
            campaigns.schedule(created.id(), new CampaignApi.ScheduleRequest(null));
        } catch (ClientWebApplicationException refused) {
            try {
                campaigns.delete(created.id());
            } catch (RuntimeException stays) {
                LOG.warnf("a draft that could not be scheduled was not deleted: %s", stays.getClass().getSimpleName());
            }
            return refusal(viewer, form, refused);
        }
        return Response.ok().header("HX-Redirect", "/marketing/campaigns/" + created.id()).build();
    }

    private Response refusal(Viewer viewer, CampaignForm form, ClientWebApplicationException refused) {
        int status = refused.getResponse().getStatus();
        if (status != 400 && status != 409 && status != 422 && status != 503) {
            throw refused;
        }
        ApiProblem problem = ApiProblem.of(refused);
        Map<String, String> errors = new LinkedHashMap<>();
        StringBuilder rest = new StringBuilder(problem.detail() == null ? "" : problem.detail());
        for (ApiProblem.Error error : problem.errors()) {
            String group = CampaignForm.group(error.pointer());
            if (group == null) {
                rest.append(rest.isEmpty() ? "" : "; ").append(error.pointer()).append(": ").append(error.detail());
            } else {
                errors.merge(group, error.detail(), (a, b) -> a + "; " + b);
            }
        }
        return invalid(viewer, form.withErrors(rest.isEmpty() ? null : rest.toString(), errors));
    }

    private Response invalid(Viewer viewer, CampaignForm form) {
        return Response.status(400).entity(Templates.campaignForm(viewer, form, campaigns.templates(), segments.segments())
                .setLocale(viewer.locale())).build();
    }

    @GET
    @Path("{id}")
    public Response campaign(@PathParam("id") String id) {
        Viewer viewer = viewers.current();
        if (!id.matches(ID)) {
            return Response.status(404).build();
        }
        CampaignApi.Campaign campaign = campaigns.campaign(id);
        boolean live = !FINISHED.contains(campaign.status()) && !"draft".equals(campaign.status());
        return Response.ok(Templates.campaign(viewer, campaign, live).setLocale(viewer.locale())).build();
    }

    /**
     * A campaign's live progress as Server-Sent Events for the page's htmx SSE extension: the console opens
     * campaign-service's own progress stream ({@code GET /api/campaigns/{id}/progress}) with the signed-in user's token
     * and relays each of its events as a rendered fragment (event {@code progress}). Only when the last event relayed
     * says the campaign is finished ({@link #FINISHED}) does a last event {@code done} tell the page to close the
     * stream; when campaign-service's stream ends or fails before that (a restart, a dropped connection, a timeout on
     * the way), the console's stream just ends, and the browser's EventSource reconnects and follows on. The browser
     * holds no token: it talks only to the console, with its session cookie. The campaign is read first, so 404 and
     * 403 answer as such before any event.
     * <p>
     * The relay lasts only as long as the session's tokens ({@link OidcSession#expiresAt()}): then it ends without
     * {@code done}, and the EventSource's reconnection goes through the session again. Quarkus refreshes the tokens
     * and the page follows on, or, when the session has ended, answers 499 ({@code HtmxRequests}), and
     * {@code /static/console.js} reloads the page into the login instead of reconnecting again and again.
     */
    @GET
    @Path("{id}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> progress(@PathParam("id") String id, @Context Sse sse) {
        if (!id.matches(ID)) {
            throw new NotFoundException();
        }
        Viewer viewer = viewers.current();
        campaigns.campaign(id);
        Duration sessionLeft = Duration.ofMillis(Math.max(1, Duration.between(Instant.now(), session.expiresAt()).toMillis()));
        AtomicReference<String> last = new AtomicReference<>();
        Multi<OutboundSseEvent> events = campaigns.progress(id).select().first(sessionLeft)
                .map(this::read).invoke(p -> last.set(p.status()))
                .map(p -> sse.newEventBuilder().name(PROGRESS).mediaType(MediaType.TEXT_HTML_TYPE).data(String.class, fragment(viewer, p))
                        .build())
                .onFailure().invoke(e -> LOG.warnf("campaign-service's progress stream broke off: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithCompletion();
        Multi<OutboundSseEvent> end = Multi.createFrom().deferred(() -> FINISHED.contains(last.get())
                ? Multi.createFrom().item(sse.newEventBuilder().name(DONE).data(String.class, DONE).build())
                : Multi.createFrom().empty());
        return Multi.createBy().concatenating().streams(events, end);
    }

    private CampaignApi.Progress read(String event) {
        try {
            return json.readValue(event, CampaignApi.Progress.class);
        } catch (java.io.IOException e) {
            throw new jakarta.ws.rs.ProcessingException("campaign-service sent a progress event that is not its ProgressView");
        }
    }

    /** One line of HTML: an SSE data field ends at a line break. */
    static String fragment(Viewer viewer, CampaignApi.Progress progress) {
        return Templates.progress(viewer, progress).setLocale(viewer.locale()).render().replace('\n', ' ').replace("\r", "");
    }
}
