package io.sohbet.segment.rest;

import io.sohbet.kit.Problem;
import io.sohbet.segment.service.InvalidRuleException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps this service's own exceptions to problem+json; service-kit's CommonProblems maps the common ones. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response invalidRule(InvalidRuleException e) {
        return Problem.response(400, "Invalid request", "the rule is invalid", e.errors().stream()
                .map(x -> new Problem.FieldError(x.pointer().startsWith("/rule") ? x.pointer() : "/rule" + x.pointer(),
                        x.detail()))
                .toList());
    }
}
