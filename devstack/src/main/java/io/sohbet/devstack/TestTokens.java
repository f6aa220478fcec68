package io.sohbet.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Access tokens for module tests, shaped as Keycloak issues them in the {@code sohbet} realm (audience, {@code azp},
 * {@code typ}, realm roles in {@code realm_access}, client roles in {@code resource_access}) and signed with the key
 * of quarkus-test-oidc-server's WireMock ({@code privateKey.jwk} on the test classpath, key id {@code 1}), so that a
 * service under test verifies them as it verifies Keycloak's. {@link #person} and {@link #service} are the tokens the
 * suite really sees; {@link Token#with}/{@link Token#without} make the ones it must refuse.
 */
public final class TestTokens {

    /** The issuer the WireMock server announces. */
    public static final String ISSUER = "https://server.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile PrivateKey key;

    private TestTokens() {
    }

    /** A person's token from the command-line client: for {@code audience} (a service's client id), with realm roles. */
    public static Token person(String audience, String user, String... realmRoles) {
        return new Token().with("aud", List.of(audience, "account")).with("azp", "sohbet-cli").with("sub", "user-" + user)
                .with("preferred_username", user).with("realm_access", Map.of("roles", List.of(realmRoles)));
    }

    /**
     * A service account's token: client {@code caller}'s client-credentials token holding {@code roles} of the
     * {@code target} client, so {@code target} is its audience (Keycloak's audience resolution).
     */
    public static Token service(String caller, String target, String... roles) {
        return new Token().with("aud", List.of(target)).with("azp", caller).with("sub", "sa-" + caller)
                .with("preferred_username", "service-account-" + caller)
                .with("realm_access", Map.of("roles", List.of("offline_access")))
                .with("resource_access", Map.of(target, Map.of("roles", List.of(roles))));
    }

    /** An unsigned set of claims until {@link #sign()}; {@code toString()} signs too, for rest-assured's oauth2(…). */
    public static final class Token {

        private final Map<String, Object> claims = new LinkedHashMap<>();

        private Token() {
            long now = Instant.now().getEpochSecond();
            claims.put("iss", ISSUER);
            claims.put("typ", "Bearer");
            claims.put("iat", now);
            claims.put("exp", now + 300);
            claims.put("jti", UUID.randomUUID().toString());
        }

        public Token with(String claim, Object value) {
            claims.put(claim, value);
            return this;
        }

        public Token without(String claim) {
            claims.remove(claim);
            return this;
        }

        /** The compact JWS (RS256). */
        public String sign() {
            try {
                String header = encode(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", "1")));
                String payload = encode(JSON.writeValueAsBytes(claims));
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(key());
                rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
                return header + "." + payload + "." + encode(rsa.sign());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return sign();
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static PrivateKey key() throws IOException, GeneralSecurityException {
        if (key == null) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("privateKey.jwk")) {
                if (in == null) {
                    throw new IllegalStateException("privateKey.jwk is not on the classpath: add io.quarkus:quarkus-test-oidc-server");
                }
                JsonNode jwk = JSON.readTree(in);
                key = KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(number(jwk, "n"), number(jwk, "e"),
                        number(jwk, "d"), number(jwk, "p"), number(jwk, "q"), number(jwk, "dp"), number(jwk, "dq"), number(jwk, "qi")));
            }
        }
        return key;
    }

    private static BigInteger number(JsonNode jwk, String field) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path(field).asText()));
    }
}
