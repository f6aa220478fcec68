package io.sohbet.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The answer to every refused call (401 without a valid token for this service, 403 without the role), as
 * problem+json, and one log line per refusal: the status, why, the operation (resource class and method, never the
 * path, which may carry subject ids) and the calling OIDC client ({@code azp}; from a refused token it is what the
 * token claims, marked unverified). Nothing about the person: no user name, no subject.
 *
 * <p>Needs {@code quarkus.http.auth.proactive=false}: tokens are then checked where an endpoint asks for an identity,
 * inside Quarkus REST, so the operation is known when a token is refused.
 */
public class Refusals {

    private static final Logger LOG = Logger.getLogger(Refusals.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final CurrentIdentityAssociation identities;
    private final String ownClient;

    public Refusals(CurrentIdentityAssociation identities,
            @ConfigProperty(name = "quarkus.oidc.client-id", defaultValue = "") String ownClient) {
        this.identities = identities;
        this.ownClient = ownClient;
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, SimpleResourceInfo operation, HttpHeaders headers) {
        String bearer = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        JsonNode claims = claims(bearer);
        LOG.warnf("refused 401 %s: %s (client %s, unverified)", operation(operation), reason(bearer, claims),
                client(claims == null ? null : claims.path("azp").asText(null)));
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e, SimpleResourceInfo operation) {
        LOG.warnf("refused 401 %s: no token", operation(operation));
        return unauthorized();
    }

    @ServerExceptionMapper
    public Uni<Response> forbidden(ForbiddenException e, SimpleResourceInfo operation) {
        return identities.getDeferredIdentity().onFailure().recoverWithNull().map(identity -> {
            LOG.warnf("refused 403 %s: the caller has none of the operation's roles (client %s)", operation(operation),
                    client(azp(identity)));
            return Problem.response(403, "Forbidden", "your role does not allow this");
        });
    }

    private static Response unauthorized() {
        return Response.fromResponse(Problem.response(401, "Unauthorized", "a valid access token for this service is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Why a token was refused, read from its unverified claims; the signature, issuer and expiry are Quarkus's checks. */
    String reason(String bearer, JsonNode claims) {
        if (bearer == null || bearer.isBlank()) {
            return "no token";
        }
        if (claims == null) {
            return "not a bearer JWT";
        }
        String typ = claims.path("typ").asText("");
        if (!"Bearer".equals(typ)) {
            return "not an access token (typ " + (CLIENT_ID.matcher(typ).matches() ? typ : "?") + ")";
        }
        JsonNode aud = claims.path("aud");
        boolean ours = aud.isArray() ? contains(aud, ownClient) : ownClient.equals(aud.asText());
        if (!ours) {
            return "not issued for this service (audience)";
        }
        if (claims.path("exp").asLong(Long.MAX_VALUE) < Instant.now().getEpochSecond()) {
            return "expired";
        }
        return "invalid signature or issuer";
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The payload of {@code Bearer <jwt>}, unverified; null if it is not one. */
    static JsonNode claims(String bearer) {
        if (bearer == null || !bearer.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String[] parts = bearer.substring(7).trim().split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return payload != null && payload.isObject() ? payload : null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    private static String operation(SimpleResourceInfo info) {
        return info == null || info.getResourceClass() == null ? "(unmatched)"
                : info.getResourceClass().getSimpleName() + "." + info.getMethodName();
    }

    private static String azp(SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken token) {
            Object azp = token.getClaim("azp");
            return azp == null ? null : azp.toString().replace("\"", "");
        }
        return null;
    }

    private static String client(String claimed) {
        return claimed == null ? "unknown" : CLIENT_ID.matcher(claimed).matches() ? claimed : "?";
    }
}
