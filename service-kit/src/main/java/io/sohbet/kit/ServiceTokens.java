package io.sohbet.kit;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.runtime.TokensHelper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.NoSuchElementException;

/**
 * This service's own bearer token for calls to other services (OIDC client credentials of its own client, holding
 * the operation roles it needs on the clients of the services it calls), fetched without blocking and refreshed
 * before it expires. The service does not start without its client secret. Absent only where {@code quarkus.oidc-client.enabled}
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

    static final String SECRET = "quarkus.oidc-client.credentials.secret";

    void requireSecret(@Observes StartupEvent start) {
        if (enabled) {
            requireSecret(ConfigProvider.getConfig());
        }
    }

    /** Fails unless the client secret is set: an empty one would only fail later, at the first call to another service. */
    static void requireSecret(Config config) {
        String secret;
        try {
            secret = config.getOptionalValue(SECRET, String.class).orElse("");
        } catch (NoSuchElementException unset) {
            secret = ""; // ${OIDC_CLIENT_SECRET} without a value
        }
        if (secret.isBlank()) {
            throw new IllegalStateException("OIDC_CLIENT_SECRET is not set: the secret of this service's own OIDC client ("
                    + "quarkus.oidc-client.credentials.secret) is required for its calls to the other services");
        }
    }

    /** {@code Bearer <token>}, or {@code null} when service tokens are off. */
    public Uni<String> authorization() {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        return helper.getTokens(client.get()).map(tokens -> "Bearer " + tokens.getAccessToken());
    }
}
