package io.sohbet.webhook.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.service.CommerceIngestion;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shop webhooks: orders, carts and customer profiles, signed like Meta's with the shop's own secret. */
@Path("/webhooks/commerce")
@PermitAll // public: signed by the shop (HMAC), checked in the resource
@Tag(name = "Shop webhooks")
public class CommerceWebhookResource {

    private final CommerceIngestion ingestion;
    private final BodyLimit bodyLimit;

    public CommerceWebhookResource(CommerceIngestion ingestion, BodyLimit bodyLimit) {
        this.ingestion = ingestion;
        this.bodyLimit = bodyLimit;
    }

    /** The answer: the event id it was published under, and whether it had been received before. */
    public record Accepted(String eventId, boolean duplicate) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a shop event", description = "X-Sohbet-Timestamp: <Unix seconds when it was sent>, "
            + "X-Sohbet-Signature: sha256=<hex HMAC-SHA256 of \"<timestamp>.<raw body>\" with the shop secret (or the "
            + "previous one during a rotation)>; a timestamp more than 5 minutes (sohbet.webhook.commerce.timestamp-tolerance) "
            + "from the service's clock is refused, so a retry is signed afresh. Answered 200 once the event is stored in "
            + "Kafka; a retry with the same id and body is answered 200 again without a second event.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommerceWebhook.class)))
    @APIResponse(responseCode = "200", description = "Stored (or already stored)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Not JSON, or invalid fields (each with a JSON pointer)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Signature or timestamp missing or wrong, or timestamp outside the tolerance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The event id was used before with a different body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over the limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Could not store now; retry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Accepted> receive(@Context RoutingContext ctx,
            @HeaderParam(CommerceIngestion.SIGNATURE) String signature, @HeaderParam(CommerceIngestion.TIMESTAMP) String timestamp) {
        return bodyLimit.read(ctx).flatMap(body -> ingestion.ingest(body, signature, timestamp))
                .map(o -> new Accepted(o.eventId(), o.duplicate()));
    }
}
