package io.sohbet.console.client;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** metrics-service, as the signed-in user: analyst, marketer and admin. Every figure the console shows comes from here. */
@RegisterRestClient(configKey = "metrics")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
public interface MetricsApi {

    @GET
    @Path("/api/metrics/summary")
    MetricsViews.Summary summary(@QueryParam("by") String by, @QueryParam("from") String from, @QueryParam("to") String to);

    @GET
    @Path("/api/metrics/campaigns/{campaignId}")
    MetricsViews.Campaign campaign(@PathParam("campaignId") String campaignId, @QueryParam("metric") String metric);

    @GET
    @Path("/api/metrics/read-times")
    MetricsViews.ReadTimes readTimes(@QueryParam("campaignId") String campaignId, @QueryParam("from") String from,
            @QueryParam("to") String to);

    @GET
    @Path("/api/metrics/csat")
    MetricsViews.Csat csat(@QueryParam("campaignId") String campaignId);

    @GET
    @Path("/api/metrics/feedback")
    MetricsViews.Feedback feedback(@QueryParam("campaignId") String campaignId);
}
