package io.sohbet.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** segment-service, as the signed-in user: marketer and admin. */
@RegisterRestClient(configKey = "segment")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
public interface SegmentApi {

    @GET
    @Path("/api/segments")
    JsonNode segments();
}
