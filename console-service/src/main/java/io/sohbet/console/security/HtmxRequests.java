package io.sohbet.console.security;

import io.quarkus.oidc.JavaScriptRequestChecker;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Requests made by the page's scripts cannot follow a redirect to Keycloak's login page (another origin): an htmx
 * request ({@code HX-Request: true}) and the live progress stream's EventSource ({@code Accept: text/event-stream}).
 * When their session has ended, Quarkus answers them 499 instead of sending them to Keycloak (which would also leave a
 * code-flow state cookie behind on every reconnection of the stream). htmx reloads the page on that 499
 * ({@link EndedSessions} adds {@code HX-Refresh: true}), and the reload, a page request, starts the authorization-code
 * flow again; a stream's 499 is noticed by {@code /static/console.js}, which reloads the page the same way.
 */
@ApplicationScoped
public class HtmxRequests implements JavaScriptRequestChecker {

    public static final String HEADER = "HX-Request";
    public static final String EVENT_STREAM = "text/event-stream";

    @Override
    public boolean isJavaScriptRequest(RoutingContext context) {
        return isHtmx(context) || isEventStream(context);
    }

    static boolean isHtmx(RoutingContext context) {
        return "true".equals(context.request().getHeader(HEADER));
    }

    static boolean isEventStream(RoutingContext context) {
        String accept = context.request().getHeader("Accept");
        return accept != null && accept.contains(EVENT_STREAM);
    }
}
