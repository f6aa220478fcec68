package io.sohbet.metrics.rest;

import io.sohbet.kit.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Maps this service's own exceptions to problem+json; service-kit's CommonProblems maps the common ones. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return Problem.invalid(List.of(new Problem.FieldError(e.pointer(), e.getMessage())));
    }
}
