package io.sohbet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The test Keycloak's admin REST API (devstack's bootstrap admin, admin / admin), for tests that need a session to end:
 * shorter token lifespans for the realm, and signing a user out of all their sessions.
 */
public final class KeycloakAdmin {

    /** The local realm's access token lifespan (devstack's {@code sohbet-realm.json}). */
    public static final Duration REALM_TOKEN_LIFESPAN = Duration.ofSeconds(3600);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String realm;

    private KeycloakAdmin(String base, String realm) {
        this.base = base;
        this.realm = realm;
    }

    /** The Keycloak the console under test signs in with ({@code quarkus.oidc.auth-server-url}). */
    public static KeycloakAdmin ofConsole() {
        String realmUrl = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        int cut = realmUrl.indexOf("/realms/");
        return new KeycloakAdmin(realmUrl.substring(0, cut), realmUrl.substring(cut + "/realms/".length()));
    }

    /** Tokens issued from now on live this long (ID token and access token; the refresh token as the SSO session). */
    public void tokenLifespan(Duration lifespan) {
        JsonNode current = call("GET", "/admin/realms/" + realm, null);
        ((ObjectNode) current).put("accessTokenLifespan", lifespan.toSeconds());
        call("PUT", "/admin/realms/" + realm, current.toString());
    }

    /** Ends every session of {@code username} in Keycloak: its refresh token no longer refreshes anything. */
    public void signOut(String username) {
        JsonNode users = call("GET", "/admin/realms/" + realm + "/users?exact=true&username=" + username, null);
        call("POST", "/admin/realms/" + realm + "/users/" + users.get(0).path("id").asText() + "/logout", "");
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = send(request.build());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("Keycloak's admin API answered " + method + " " + path + " with " + response.statusCode()
                    + ": " + response.body());
        }
        return read(response.body());
    }

    private String adminToken() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", "admin", "password", "admin")))).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no admin token from Keycloak: " + response.statusCode());
        }
        return read(response.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? ApiStub.JSON.getNodeFactory().nullNode() : ApiStub.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
