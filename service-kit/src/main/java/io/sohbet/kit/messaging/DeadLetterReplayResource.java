package io.sohbet.kit.messaging;

import io.smallrye.common.annotation.Blocking;
import io.sohbet.kit.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Admin API of every service that consumes Kafka: replays a dead-letter topic of one of its consumers
 * ({@link DeadLetterReplay}), once what made its records fail is fixed.
 */
@Path("/admin/dlq")
@Tag(name = "Admin: dead-letter topics")
@RolesAllowed("admin")
public class DeadLetterReplayResource {

    private final DeadLetterReplay replay;

    public DeadLetterReplayResource(DeadLetterReplay replay) {
        this.replay = replay;
    }

    @POST
    @Path("/{topic}/replay")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Replay a dead-letter topic", description = "Role admin. Re-publishes the records of <topic>.dlq "
            + "that no replay re-published yet, up to its end at the time of the call, to <topic> with the same key, headers "
            + "and CloudEvent; idempotent consumers ignore what they applied before. Counts what was re-published, left "
            + "out (no value) and left for another call (timeout).")
    @APIResponse(responseCode = "200", description = "The counts of the replay")
    @APIResponse(responseCode = "400", description = "Not the name of a dead-letter topic (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not role admin, or Kafka does not let this service replay that "
            + "topic (its Kafka user may not write the original topic, e.g. privacy.erasure, written only by consent-service; "
            + "problem+json); nothing was re-published")
    @APIResponse(responseCode = "404", description = "No consumer of this service dead-letters to that topic (problem+json)")
    @APIResponse(responseCode = "409", description = "A replay of that topic is running in this replica (problem+json)")
    public DeadLetterReplay.Result replay(@PathParam("topic") @Pattern(regexp = "[a-z][a-z0-9._-]{0,200}\\.dlq",
            message = "must be a dead-letter topic: <topic>.dlq") String topic) {
        return replay.replay(topic);
    }

    @ServerExceptionMapper
    public Response unknown(DeadLetterReplay.UnknownTopic e) {
        return Problem.response(404, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notAllowed(DeadLetterReplay.NotAllowed e) {
        return Problem.response(403, "Forbidden", e.getMessage());
    }

    @ServerExceptionMapper
    public Response running(DeadLetterReplay.AlreadyRunning e) {
        return Problem.response(409, "Conflict", e.getMessage());
    }
}
