package io.sohbet.console.security;

import io.quarkus.oidc.JavaScriptRequestChecker;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An htmx request ({@code HX-Request: true}) cannot follow a redirect to Keycloak's login page (another origin): when
 * its session has ended, Quarkus answers 499 instead, and {@code /static/console.js} reloads the page, which starts the
 * authorization-code flow again.
 */
@ApplicationScoped
public class HtmxRequests implements JavaScriptRequestChecker {

    public static final String HEADER = "HX-Request";

    @Override
    public boolean isJavaScriptRequest(RoutingContext context) {
        return "true".equals(context.request().getHeader(HEADER));
    }
}
