package io.sohbet.consent.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** The export endpoint every service that holds data about subjects offers to consent-service (role service). */
@Path("/internal/subjects")
public interface SubjectExportApi {

    @GET
    @Path("/{subjectId}/export")
    Uni<JsonNode> export(@HeaderParam("Authorization") String bearer, @PathParam("subjectId") String subjectId);
}
