package io.sohbet.webhook.rest;

import io.sohbet.kit.Problem;
import io.sohbet.webhook.messaging.PublishTimeoutException;
import io.sohbet.webhook.service.CommerceConflictException;
import io.sohbet.webhook.service.InvalidSignatureException;
import io.sohbet.webhook.service.InvalidWebhookException;
import io.sohbet.webhook.service.KeyVaultUnavailableException;
import io.sohbet.webhook.service.PayloadTooLargeException;
import io.sohbet.webhook.service.RequestValidationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps this service's own exceptions to problem+json; service-kit's CommonProblems maps the common ones. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalidSignature(InvalidSignatureException e) {
        return Problem.response(401, "Invalid signature", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidWebhook(InvalidWebhookException e) {
        return Problem.response(400, "Invalid webhook", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidRequest(RequestValidationException e) {
        return Problem.response(400, "Invalid request", e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e) {
        return Problem.response(413, "Payload too large", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(CommerceConflictException e) {
        return Problem.response(409, "Conflict", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notStored(PublishTimeoutException e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return retryLater("Kafka did not acknowledge the events in time; nothing was lost, retry");
    }

    @ServerExceptionMapper
    public Response brokerFailure(KafkaException e) {
        LOG.warnf("answering 503: Kafka failed (%s)", e.getClass().getSimpleName());
        return retryLater("the events could not be stored; retry");
    }

    @ServerExceptionMapper
    public Response keyVault(KeyVaultUnavailableException e) {
        LOG.warnf("answering 503: key vault unavailable (%s)", e.getCause() == null ? "" : e.getCause().getClass().getSimpleName());
        return retryLater("personal fields cannot be encrypted right now; retry");
    }

    private static Response retryLater(String detail) {
        Response problem = Problem.response(503, "Service unavailable", detail);
        return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, "5").build();
    }
}
