package io.sohbet.metrics.rest;

import io.sohbet.kit.Problem;
import io.sohbet.metrics.service.RateCardCsv;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Maps this service's own exceptions to problem+json; service-kit's CommonProblems maps the common ones. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return Problem.invalid(List.of(new Problem.FieldError(e.pointer(), e.getMessage())));
    }

    /** Each wrong line of a rate card as {@code /line/<number>} (the header is line 1). */
    @ServerExceptionMapper
    public Response invalidRateCard(RateCardCsv.InvalidRateCardException e) {
        List<Problem.FieldError> lines = e.errors().stream()
                .map(l -> new Problem.FieldError("/line/" + l.line(), l.detail())).toList();
        RateCardCsv.LineError first = e.errors().get(0);
        return e.tooLarge() ? Problem.response(413, "Payload too large", first.detail(), lines)
                : Problem.response(400, "Invalid request", "line " + first.line() + ": " + first.detail(), lines);
    }
}
