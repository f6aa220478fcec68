package io.sohbet.console.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.token.propagation.common.AccessToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** segment-service, as the signed-in user: marketer and admin (an analyst may preview and list, without samples). */
@RegisterRestClient(configKey = "segment")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
public interface SegmentApi {

    /** segment-service's SegmentView ({@code members} null for an analyst under the minimum size). */
    record Segment(String id, String name, String description, JsonNode rule, boolean builtIn, Long members,
            boolean belowMinimumSize, int minimumSize, boolean broken, String problem) {
    }

    record RuleInput(JsonNode rule) {
    }

    /**
     * segment-service's PreviewView: the count now, how many of them are reachable with marketing consent (an estimate:
     * consent as segment-service last heard it), up to 20 subject ids (marketers and admins), the minimum size.
     */
    record Preview(Long count, Long reachable, List<String> sample, boolean belowMinimumSize, int minimumSize) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SegmentInput(String id, String name, String description, JsonNode rule) {
    }

    @GET
    @Path("/api/segments")
    List<Segment> segments();

    /** 200 with the count; 400 with a JSON pointer per problem of the rule ({@code /rule/all/0/op}). */
    @POST
    @Path("/api/segments/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    Preview preview(RuleInput input);

    /** 201; 400 (fields and rule problems), 409 (the id is taken). */
    @POST
    @Path("/api/segments")
    @Consumes(MediaType.APPLICATION_JSON)
    Segment create(SegmentInput input);
}
