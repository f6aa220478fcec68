package io.sohbet.webhook.rest;

import io.sohbet.kit.CommonProblems;
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
    private static final ProblemMapper MAPPER = new ProblemMapper();
    private static final CommonProblems COMMON = new CommonProblems();

    /**
     * The answer Quarkus REST gives for {@code failure} through these mappers and service-kit's (anything else: 500,
     * logged), for the routes outside it ({@link WhatsAppWebhookRoute}).
     */
    static Response map(Throwable failure) {
        if (failure instanceof InvalidSignatureException e) {
            return MAPPER.invalidSignature(e);
        } else if (failure instanceof InvalidWebhookException e) {
            return MAPPER.invalidWebhook(e);
        } else if (failure instanceof RequestValidationException e) {
            return MAPPER.invalidRequest(e);
        } else if (failure instanceof PayloadTooLargeException e) {
            return MAPPER.tooLarge(e);
        } else if (failure instanceof CommerceConflictException e) {
            return MAPPER.conflict(e);
        } else if (failure instanceof PublishTimeoutException e) {
            return MAPPER.notStored(e);
        } else if (failure instanceof KafkaException e) {
            return MAPPER.brokerFailure(e);
        } else if (failure instanceof KeyVaultUnavailableException e) {
            return MAPPER.keyVault(e);
        }
        return COMMON.unexpected(failure instanceof RuntimeException e ? e : new IllegalStateException(failure));
    }

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
