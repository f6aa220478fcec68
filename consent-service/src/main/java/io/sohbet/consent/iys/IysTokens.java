package io.sohbet.consent.iys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * İYS's OAuth2 tokens (password grant, 2 h access and 4 h refresh tokens): one cached access token for every call,
 * renewed a minute before it expires with the refresh token while that is valid, else with a new password grant. However
 * many calls need a token at once, one grant is in flight and they all wait for it (no stampede: İYS allows few token
 * requests an hour). A call answered 401 reports its token through {@link #rejected}, which drops it if still cached.
 */
final class IysTokens {

    /** A token pair and when each part expires. */
    record Token(String access, String refresh, Instant accessUntil, Instant refreshUntil) {
    }

    private static final Duration MARGIN = Duration.ofMinutes(1);

    private final Function<ObjectNode, Uni<JsonNode>> grant;
    private final String username;
    private final String password;
    private final Clock clock;
    private Token token;
    private Uni<Token> renewing;

    /** {@code grant}: posts a body to {@code /oauth2/token} and answers its JSON, failing on any other status than 200. */
    IysTokens(Function<ObjectNode, Uni<JsonNode>> grant, String username, String password, Clock clock) {
        this.grant = grant;
        this.username = username;
        this.password = password;
        this.clock = clock;
    }

    /** A valid access token: the cached one, or the one being obtained. */
    synchronized Uni<Token> current() {
        Instant now = clock.instant();
        if (token != null && now.isBefore(token.accessUntil().minus(MARGIN))) {
            return Uni.createFrom().item(token);
        }
        if (renewing == null) {
            Token held = token;
            Uni<Token> obtain = held != null && now.isBefore(held.refreshUntil().minus(MARGIN))
                    ? refresh(held).onFailure(e -> !(e instanceof IysUnavailableException)).recoverWithUni(this::password)
                    : password();
            renewing = obtain.onItemOrFailure().invoke((obtained, failure) -> settle(obtained))
                    .memoize().indefinitely();
        }
        return renewing;
    }

    /** A call was refused with 401 while using {@code used}: the token is dropped unless already replaced. */
    synchronized void rejected(Token used) {
        if (token == used && used != null) {
            token = new Token(used.access(), used.refresh(), Instant.EPOCH, used.refreshUntil());
        }
    }

    private synchronized void settle(Token obtained) {
        if (obtained != null) {
            token = obtained;
        }
        renewing = null;
    }

    private Uni<Token> password() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("username", username).put("password", password)
                .put("grant_type", "password");
        return grant.apply(body).map(this::read);
    }

    private Uni<Token> refresh(Token held) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("refresh_token", held.refresh())
                .put("grant_type", "refresh_token");
        return grant.apply(body).map(this::read);
    }

    private Token read(JsonNode answer) {
        Instant now = clock.instant();
        String access = answer.path("access_token").asText(null);
        if (access == null) {
            throw new IysCallException(200, "the token answer holds no access_token");
        }
        return new Token(access, answer.path("refresh_token").asText(null),
                now.plusSeconds(answer.path("expires_in").asLong(7200)),
                now.plusSeconds(answer.path("refresh_expires_in").asLong(answer.path("refresh_token").isMissingNode() ? 0 : 14400)));
    }
}
