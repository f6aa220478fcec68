package io.sohbet.consent.service;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is asking, as audit entries name them: the token's user name (a person, or a client's service account) and the
 * OIDC client the token was issued to ({@code azp}, else {@code client_id}), when the token says.
 */
public record Caller(String name, String client) {

    public static Caller of(SecurityIdentity identity) {
        String client = null;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            client = text(token.getClaim("azp"));
            if (client == null) {
                client = text(token.getClaim("client_id"));
            }
        }
        return new Caller(identity.getPrincipal().getName(), client);
    }

    private static String text(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim == null ? null : claim.toString();
    }
}
