package io.sohbet.metrics.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.config.MetricsConfig;
import io.sohbet.metrics.service.EngagementQueries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal API for campaign-service's send-time optimisation: the best read hours of a batch of subjects in one
 * call, so that planning a campaign for a million recipients takes a thousand calls, not a million.
 */
@Path("/internal/read-hours")
@Tag(name = "Internal: send-time optimisation")
@RolesAllowed("read-hours")
public class ReadHoursResource {

    private final EngagementQueries queries;
    private final MetricsConfig config;

    public ReadHoursResource(EngagementQueries queries, MetricsConfig config) {
        this.queries = queries;
        this.config = config;
    }

    public record BatchRequest(@NotNull @Size(min = 1, max = 1000) List<@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{16,64}",
            message = "must be a subject id") String> subjectIds) {
    }

    /** subject id → best hours (most reads first, at most three) in {@code timeZone}; subjects without reads absent. */
    public record BatchAnswer(String timeZone, Map<String, List<Integer>> bestHours) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Best read hours of up to 1,000 subjects", description = "Role read-hours (campaign-service). Hours of day in the "
            + "business time zone with the most reads first, at most three per subject.")
    public Uni<BatchAnswer> bestHours(@NotNull @Valid BatchRequest request) {
        return queries.subjectsReadHours(request.subjectIds()).map(bySubject -> {
            Map<String, List<Integer>> best = new LinkedHashMap<>();
            bySubject.forEach((subject, hours) -> best.put(subject, MetricsResource.bestHours(hours)));
            return new BatchAnswer(config.timeZone().getId(), best);
        });
    }
}
