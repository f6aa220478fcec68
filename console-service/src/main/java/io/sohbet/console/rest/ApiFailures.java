package io.sohbet.console.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.sohbet.console.service.Viewer;
import io.sohbet.console.service.Viewers;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An API's refusal or absence, and the console's own refusal of a page to a role, as a page: 403 and 404 pass through (the API is the real gate), any other refusal or an
 * API that does not answer is a 502. Only the status and the API's kind of failure are logged, never the request.
 */
public class ApiFailures {

    private static final Logger LOG = Logger.getLogger(ApiFailures.class);

    @CheckedTemplate(basePath = "ErrorPages")
    static class Templates {
        static native TemplateInstance error(Viewer viewer, int status);
    }

    private final Viewers viewers;

    public ApiFailures(Viewers viewers) {
        this.viewers = viewers;
    }

    @ServerExceptionMapper
    public Response refused(ClientWebApplicationException e) {
        int api = e.getResponse().getStatus();
        int status = api == 403 || api == 404 ? api : 502;
        if (status == 502) {
            LOG.warnf("an API answered %d", api);
        }
        return page(status);
    }

    /** The console's own role check (a page's {@code @RolesAllowed}): the 403 page, before any API is asked. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return page(403);
    }

    @ServerExceptionMapper
    public Response unreachable(ProcessingException e) {
        LOG.warnf("an API did not answer: %s", e.getClass().getSimpleName());
        return page(502);
    }

    private Response page(int status) {
        Viewer viewer = viewers.current();
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(viewer, status).setLocale(viewer.locale()).render()).build();
    }
}
