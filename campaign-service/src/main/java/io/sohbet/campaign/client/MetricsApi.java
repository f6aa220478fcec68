package io.sohbet.campaign.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;
import java.util.Map;

/** metrics-service: read hours for send-time optimisation and A/B test outcomes (role service). */
@RegisterRestClient(configKey = "metrics")
public interface MetricsApi {

    @POST
    @Path("/internal/read-hours")
    @Retry(maxRetries = 3, delay = 300)
    @Timeout(10000)
    Uni<BestHours> bestHours(@HeaderParam("Authorization") String bearer, SubjectsRequest request);

    /** Reads by hour of day, for one segment or (segmentId null) everyone. */
    @GET
    @Path("/api/metrics/read-times")
    @Retry(maxRetries = 3, delay = 300)
    @Timeout(10000)
    Uni<ReadTimes> readTimes(@HeaderParam("Authorization") String bearer, @QueryParam("segmentId") String segmentId);

    @GET
    @Path("/api/metrics/campaigns/{id}")
    @Retry(maxRetries = 2, delay = 500)
    @Timeout(10000)
    Uni<CampaignMetrics> campaign(@HeaderParam("Authorization") String bearer, @PathParam("id") String campaignId,
            @QueryParam("metric") String metric);

    record SubjectsRequest(List<String> subjectIds) {
    }

    record BestHours(String timeZone, Map<String, List<Integer>> bestHours) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReadTimes(String timeZone, long[] hourly) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CampaignMetrics(String campaignId, AbTest abTest) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AbTest(String metric, List<Arm> variants, Double pValue, boolean significant, boolean enoughSample, String winner) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Arm(String variant, long successes, long trials) {
    }
}
