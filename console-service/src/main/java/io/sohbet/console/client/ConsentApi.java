package io.sohbet.console.client;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** consent-service, as the signed-in user (their access token, {@link AccessToken}): privacy-officer and admin. */
@RegisterRestClient(configKey = "consent")
@AccessToken
@Produces(MediaType.APPLICATION_JSON)
public interface ConsentApi {

    @GET
    @Path("/api/dsr")
    List<ConsentViews.Dsr> requests(@QueryParam("status") String status, @QueryParam("limit") int limit);

    @GET
    @Path("/api/dsr/{id}")
    ConsentViews.Dsr request(@PathParam("id") String id);

    /** 202 with the request; a 4xx throws with the problem+json as the response's entity. */
    @POST
    @Path("/api/dsr")
    @Consumes(MediaType.APPLICATION_JSON)
    ConsentViews.Dsr submit(ConsentViews.DsrSubmission submission);

    @GET
    @Path("/api/consents/{subjectId}")
    ConsentViews.Consent consent(@PathParam("subjectId") String subjectId);

    /** A person's consent looked up by phone (in the body, never in a URL); 404 when none was ever recorded. */
    @POST
    @Path("/api/subjects/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    ConsentViews.Consent lookup(ConsentViews.Lookup lookup);

    @GET
    @Path("/api/audit")
    List<ConsentViews.AuditEntry> audit(@QueryParam("before") Long before, @QueryParam("limit") int limit);

    @GET
    @Path("/api/audit/verify")
    ConsentViews.Verification verify();

    @GET
    @Path("/api/destruction-records")
    List<ConsentViews.Destruction> destructionRecords(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("format") String format);

    @GET
    @Path("/api/iys/status")
    ConsentViews.IysReport iysStatus();
}
