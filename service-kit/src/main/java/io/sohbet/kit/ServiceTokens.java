package io.sohbet.kit;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.runtime.TokensHelper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This service's own bearer token for calls to other services (OIDC client credentials, role {@code service}),
 * fetched without blocking and refreshed before it expires. Absent only where {@code quarkus.oidc-client.enabled}
 * is false: tests whose stand-in for the other service does not check tokens.
 */
@ApplicationScoped
public class ServiceTokens {

    private final Instance<OidcClient> client;
    private final boolean enabled;
    private final TokensHelper helper = new TokensHelper();

    public ServiceTokens(Instance<OidcClient> client,
            @ConfigProperty(name = "quarkus.oidc-client.enabled", defaultValue = "true") boolean enabled) {
        this.client = client;
        this.enabled = enabled;
    }

    /** {@code Bearer <token>}, or {@code null} when service tokens are off. */
    public Uni<String> authorization() {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        return helper.getTokens(client.get()).map(tokens -> "Bearer " + tokens.getAccessToken());
    }
}
