package io.sohbet.webhook.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.service.LinkClicks;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/** Tracked links sent in campaign messages. Public; only tokens signed by campaign-service are redirected. */
@Path("/l/{token}")
@PermitAll // public: the token is signed; anyone with the link may follow it
@Tag(name = "Tracked links")
public class TrackedLinkResource {

    private final LinkClicks clicks;
    private final ClientAddress clientAddress;

    public TrackedLinkResource(LinkClicks clicks, ClientAddress clientAddress) {
        this.clicks = clicks;
        this.clientAddress = clientAddress;
    }

    @GET
    @Operation(summary = "Follow a tracked link", description = "Redirects to the link's target and records a click, "
            + "once per link and person within sohbet.webhook.links.click-window (10 min); link-preview fetchers and bots, "
            + "expired links, repeats within the window and the clicks of a source past its limit "
            + "(sohbet.webhook.links.clicks-per-source per source-period) are redirected without counting.")
    @APIResponse(responseCode = "302", description = "Redirect to the target")
    @APIResponse(responseCode = "404", description = "Unknown, forged or altered token, or signed with a key no longer configured",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> follow(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
            @Context HttpServerRequest request) {
        return clicks.redeem(token, userAgent, clientAddress.of(request)).map(target -> target
                .map(t -> Response.status(Response.Status.FOUND).location(URI.create(t))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").build())
                .orElseGet(() -> Problem.response(404, "Not found", "unknown link")));
    }
}
