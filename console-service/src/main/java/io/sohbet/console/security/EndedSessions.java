package io.sohbet.console.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The answer to an htmx request whose session has ended (499, {@link HtmxRequests}) carries {@code HX-Refresh: true}:
 * htmx itself then reloads the page (before it looks at the status, so no fragment is swapped in) and the reload goes
 * through Keycloak's login. {@code /static/console.js} reloads on 499 too, for the requests htmx does not make.
 */
@ApplicationScoped
public class EndedSessions {

    /** Quarkus OIDC's answer to a script's request without a valid session. */
    public static final int SESSION_ENDED = 499;

    void register(@Observes Filters filters) {
        // before authentication, so that the handler is in place when the challenge is written
        filters.register(context -> {
            if (HtmxRequests.isHtmx(context)) {
                context.addHeadersEndHandler(ignored -> {
                    if (context.response().getStatusCode() == SESSION_ENDED) {
                        context.response().putHeader("HX-Refresh", "true");
                    }
                });
            }
            context.next();
        }, SecurityHandlerPriorities.CORS + 10);
    }
}
