package io.sohbet.console.client;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** campaign-service, as the signed-in user: marketer and admin. */
@RegisterRestClient(configKey = "campaign")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
public interface CampaignApi {

    record Campaign(String id, String name, String status, String createdBy, Instant createdAt, Instant startAt,
            Instant plannedAt, Integer audience, String winner, Instant finishedAt, Map<String, Long> progress) {
    }

    @GET
    @Path("/api/campaigns")
    List<Campaign> campaigns(@QueryParam("status") String status, @QueryParam("limit") int limit);

    @GET
    @Path("/api/campaigns/{id}")
    Campaign campaign(@PathParam("id") String id);
}
