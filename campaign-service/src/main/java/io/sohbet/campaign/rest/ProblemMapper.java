package io.sohbet.campaign.rest;

import io.sohbet.campaign.service.Campaigns;
import io.sohbet.kit.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps this service's own exceptions to problem+json; service-kit's CommonProblems maps the common ones. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return Problem.invalid(e.errors());
    }

    @ServerExceptionMapper
    public Response conflict(Campaigns.Conflict e) {
        return Problem.response(409, "Conflict", e.getMessage());
    }
}
