package io.sohbet.console.security;

import io.sohbet.console.config.ConsoleConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;
import java.util.Set;

/**
 * CSRF defence for the session cookie (OWASP: verifying origin with standard headers, and a custom request header):
 * every POST, PUT, PATCH and DELETE must come from an htmx call of the console's own pages, that is carry
 * {@code HX-Request: true} (a cross-site form cannot set a header, and the console allows no CORS) and an
 * {@code Origin} equal to the console's ({@code sohbet.console.public-origin}, else the request's own). Anything else
 * is refused with 403 before any page code runs.
 */
public class SameOriginChanges {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final ConsoleConfig config;

    public SameOriginChanges(ConsoleConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return Optional.empty();
        }
        if (!"true".equals(request.getHeaderString(HtmxRequests.HEADER))) {
            return Optional.of(refuse("the change must be made from the console's pages (HX-Request header missing)"));
        }
        String origin = request.getHeaderString("Origin");
        if (origin == null || !origin.equals(expectedOrigin(request.getUriInfo()))) {
            return Optional.of(refuse("the change must come from the console's own origin"));
        }
        return Optional.empty();
    }

    private String expectedOrigin(UriInfo uri) {
        return config.publicOrigin().filter(o -> !o.isBlank()).map(SameOriginChanges::trimSlash).orElseGet(() -> {
            java.net.URI base = uri.getBaseUri();
            return base.getScheme() + "://" + base.getRawAuthority();
        });
    }

    private static String trimSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    private static Response refuse(String detail) {
        return Response.status(Response.Status.FORBIDDEN).type("application/problem+json")
                .entity("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"" + detail + "\"}")
                .build();
    }
}
