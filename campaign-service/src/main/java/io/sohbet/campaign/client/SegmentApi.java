package io.sohbet.campaign.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** segment-service's members of a segment, in subject-id order, paged by cursor (role service). */
@RegisterRestClient(configKey = "segment")
@Path("/api/segments")
public interface SegmentApi {

    @GET
    @Path("/{id}/members")
    @Retry(maxRetries = 3, delay = 500)
    @Timeout(30000)
    Uni<MembersPage> members(@HeaderParam("Authorization") String bearer, @PathParam("id") String segmentId,
            @QueryParam("cursor") String cursor, @QueryParam("limit") int limit);

    record MembersPage(String segmentId, List<String> subjectIds, String nextCursor) {
    }
}
