package io.sohbet.console.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * campaign-service, as the signed-in user: marketer and admin. A definition is sent with durations, times and
 * instants as ISO-8601 text (what campaign-service reads), only the parts the form filled in.
 */
@RegisterRestClient(configKey = "campaign")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
public interface CampaignApi {

    record Campaign(String id, String name, String status, String createdBy, Instant createdAt, Instant startAt,
            Instant plannedAt, Integer audience, String winner, String winnerReason, Instant finishedAt, String pauseReason,
            Map<String, Long> progress) {
    }

    /** One event of campaign-service's progress stream (its ProgressView), read by the console's own Jackson call. */
    @RegisterForReflection
    record Progress(String id, String status, Integer audience, String winner, Map<String, Long> progress) {
    }

    /** One translation of a template of the WhatsApp Business Account (campaign-service's TemplateView). */
    record Template(String name, String language, String category, String status, String quality, int parameters,
            int bodyParameters, String headerFormat) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Definition(String name, Audience audience, List<Variant> variants, AbTest abTest, Schedule schedule,
            QuietHours quietHours, FrequencyCap frequencyCap, Boolean csatSurvey, String sendPath) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Audience(List<String> segments, List<String> excludeSegments, Integer holdoutPercent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Variant(String id, Integer weight, Message message) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String type, TemplateMessage template, TrackedLink trackedLink) {
    }

    /** A link whose clicks are counted (webhook-service's redirect): on the template's URL button {@code buttonIndex}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TrackedLink(String id, String target, Integer buttonIndex) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TemplateMessage(String name, String language, List<String> body) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AbTest(int testPercent, String duration, String metric, String fallback) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Schedule(String mode, String at, String window, String localTime) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QuietHours(Boolean enabled, String start, String end) {
    }

    record FrequencyCap(int messages, String period) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ScheduleRequest(String startAt) {
    }

    @GET
    @Path("/api/campaigns")
    List<Campaign> campaigns(@QueryParam("status") String status, @QueryParam("limit") int limit);

    @GET
    @Path("/api/campaigns/{id}")
    Campaign campaign(@PathParam("id") String id);

    @GET
    @Path("/api/templates")
    List<Template> templates();

    /** 201 with the draft; 400 with a JSON pointer per invalid field. */
    @POST
    @Path("/api/campaigns")
    @Consumes(MediaType.APPLICATION_JSON)
    Campaign create(Definition definition);

    /** Launches a draft: 200; 400 (start time), 409 (not a draft), 422 (a template cannot be sent), 503. */
    @POST
    @Path("/api/campaigns/{id}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    Campaign schedule(@PathParam("id") String id, ScheduleRequest request);

    @DELETE
    @Path("/api/campaigns/{id}")
    void delete(@PathParam("id") String id);

    /**
     * campaign-service's progress stream: an event per change (a {@link Progress} as JSON), ending after completion or
     * cancellation. Read as text: campaign-service's events carry no media type of their own, and the client cannot
     * map them to a type without one.
     */
    @GET
    @Path("/api/campaigns/{id}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    Multi<String> progress(@PathParam("id") String id);
}
