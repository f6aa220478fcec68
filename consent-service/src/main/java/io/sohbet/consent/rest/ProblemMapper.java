package io.sohbet.consent.rest;

import io.sohbet.consent.messaging.DestructionDeadLetters;
import io.sohbet.consent.service.ConsentRuleException;
import io.sohbet.consent.service.UnknownSubjectException;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.kit.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Maps this service's own exceptions to problem+json; service-kit's CommonProblems maps the common ones. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response rule(ConsentRuleException e) {
        return Problem.invalid(List.of(new Problem.FieldError(e.pointer(), e.getMessage())));
    }

    @ServerExceptionMapper
    public Response invalidPhone(InvalidPhoneNumberException e) {
        return Problem.invalid(List.of(new Problem.FieldError("/phone", e.getMessage())));
    }

    @ServerExceptionMapper
    public Response unknownSubject(UnknownSubjectException e) {
        return Problem.response(404, "Not Found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response replayUnaudited(io.sohbet.consent.service.DestructionReplay.Unaudited e) {
        return Problem.response(503, "Service Unavailable", e.getMessage());
    }

    @ServerExceptionMapper
    public Response deadLettersUnreadable(DestructionDeadLetters.Unreadable e) {
        return Problem.response(503, "Service Unavailable", e.getMessage());
    }
}
