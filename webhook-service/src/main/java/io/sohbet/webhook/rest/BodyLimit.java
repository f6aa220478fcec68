package io.sohbet.webhook.rest;

import io.sohbet.kit.Problem;
import io.sohbet.webhook.config.WebhookConfig;
import io.sohbet.webhook.service.PayloadTooLargeException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses bodies over {@code sohbet.webhook.max-body-size} before reading them, when their length is declared. */
public class BodyLimit {

    private final long limit;

    public BodyLimit(WebhookConfig config) {
        this.limit = config.maxBodySize().asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > limit) {
                    return Problem.response(413, "Payload too large", "the body is larger than " + limit + " bytes");
                }
            } catch (NumberFormatException e) {
                return Problem.response(400, "Invalid request", "Content-Length is not a number");
            }
        }
        return null;
    }

    /** For bodies sent without Content-Length (chunked). */
    public void requireWithin(byte[] body) {
        if (body.length > limit) {
            throw new PayloadTooLargeException(limit);
        }
    }
}
