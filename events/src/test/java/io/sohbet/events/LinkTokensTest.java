package io.sohbet.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTokensTest {

    private final LinkTokens tokens = new LinkTokens("link-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    private final LinkTokens.Link link = new LinkTokens.Link("c-42", "B", "subj", "cta", "https://shop.example/kampanya?utm=wa");

    @Test
    void roundTripsAndIsUrlSafe() {
        String token = tokens.issue(link);
        assertThat(token).matches("[A-Za-z0-9_.-]+");
        assertThat(tokens.verify(token)).contains(link);
    }

    @Test
    void anyChangeMakesTheTokenUnknown() {
        String token = tokens.issue(link);
        String[] parts = token.split("\\.");
        String otherTarget = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "c-42\nB\nsubj\ncta\nhttps://evil.example".getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(parts[0] + "." + otherTarget + "." + parts[2])).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "AA")).isEmpty();
        assertThat(new LinkTokens("another-secret-0123456".getBytes(StandardCharsets.UTF_8)).verify(token)).isEmpty();
        assertThat(tokens.verify("2." + parts[1] + "." + parts[2])).isEmpty();
        assertThat(tokens.verify("garbage")).isEmpty();
        assertThat(tokens.verify("1.***.***")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void onlyWebTargets() {
        assertThatThrownBy(() -> new LinkTokens.Link("c", "A", "s", "l", "javascript:alert(1)"))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> new LinkTokens.Link("c", "A", "s", "l", "//evil.example/x")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> new LinkTokens.Link("c\n", "A", "s", "l", "https://x.example")).hasMessageContaining("line breaks");
    }
}
