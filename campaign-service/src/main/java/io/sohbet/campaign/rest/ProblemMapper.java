package io.sohbet.campaign.rest;

import io.sohbet.campaign.client.TemplateCatalog;
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

    @ServerExceptionMapper
    public Response unusableTemplate(UnusableTemplateException e) {
        return Problem.response(422, "Unusable template", "a template of the campaign cannot be sent as defined", e.errors());
    }

    @ServerExceptionMapper
    public Response templatesUnavailable(TemplateCatalog.Unavailable e) {
        return Response.fromResponse(Problem.response(503, "Templates unavailable", e.getMessage() + "; try again shortly"))
                .header("Retry-After", "30").build();
    }
}
