package io.sohbet.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkTokensTest {

    static final Duration LIFETIME = Duration.ofDays(90);
    static final Instant ISSUED = Instant.parse("2025-11-03T09:15:00Z");
    static final byte[] SECRET_0 = bytes("link-secret-0123456789");
    static final byte[] SECRET_1 = bytes("link-secret-k1-0123456789");
    static final byte[] SECRET_2 = bytes("link-secret-k2-0123456789");
    /** Issued by the format-1 code (before key ids and expiry) with SECRET_0, for {@link #link}: a link already sent. */
    static final String V1_TOKEN = "1.Yy00MgpCCnN1YmoKY3RhCmh0dHBzOi8vc2hvcC5leGFtcGxlL2thbXBhbnlhP3V0bT13YQ.8JUbaB079O0MFAQiKGKCLg";

    private final LinkTokens.Link link = new LinkTokens.Link("c-42", "B", "subj", "cta", "https://shop.example/kampanya?utm=wa");
    private final LinkTokens tokens = tokens("k1", Map.of("k1", SECRET_1));

    static LinkTokens tokens(String current, Map<String, byte[]> keys) {
        return new LinkTokens(new LinkKeys(current, keys), LIFETIME, Optional.empty());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(s));
    }

    @Test
    void roundTripsWithItsKeyIdAndExpiryAndIsUrlSafe() {
        String token = tokens.issue(link, ISSUED);
        assertThat(token).matches("[A-Za-z0-9_.-]+").startsWith("2.k1.");
        assertThat(tokens.verify(token)).contains(new LinkTokens.Verified(link, "k1", ISSUED.plus(LIFETIME)));
        // compact: the expiry and key id add a few characters to what format 1 had
        assertThat(token.length()).isLessThan(V1_TOKEN.length() + 25);
    }

    @Test
    void anyChangeMakesTheTokenUnknown() {
        String token = tokens.issue(link, ISSUED);
        String[] parts = token.split("\\.");
        long expiry = ISSUED.plus(LIFETIME).getEpochSecond();
        String otherTarget = b64(expiry + "\nc-42\nB\nsubj\ncta\nhttps://evil.example");
        String laterExpiry = b64((expiry + 86_400 * 365) + "\nc-42\nB\nsubj\ncta\nhttps://shop.example/kampanya?utm=wa");
        String otherSubject = b64(expiry + "\nc-42\nB\nsomeone-else\ncta\nhttps://shop.example/kampanya?utm=wa");
        for (String bad : List.of(
                parts[0] + "." + parts[1] + "." + otherTarget + "." + parts[3],
                parts[0] + "." + parts[1] + "." + laterExpiry + "." + parts[3],
                parts[0] + "." + parts[1] + "." + otherSubject + "." + parts[3],
                token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA"),
                token + "A",
                "3." + parts[1] + "." + parts[2] + "." + parts[3],
                "1." + parts[2] + "." + parts[3],
                parts[1] + "." + parts[2] + "." + parts[3],
                "2.k1." + parts[2],
                "garbage", "2.k1.***.***", "2...", "", "2.k1." + parts[2] + "." + parts[3] + "." + parts[3])) {
            assertThat(tokens.verify(bad)).as(bad).isEmpty();
        }
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(tokens.verify(token + "A".repeat(5000))).isEmpty();
        assertThat(tokens("k1", Map.of("k1", bytes("another-secret-0123456"))).verify(token)).isEmpty();
    }

    @Test
    void onlyTheCanonicalSpellingOfTheSignatureCounts() {
        // the last base64 character of a 16-byte signature carries 2 bits: 16 spellings decode to the same bytes
        String base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int n = 0; n < 50; n++) {
            String token = tokens.issue(new LinkTokens.Link("c-" + n, "A", "s", "l", "https://shop.example/"), ISSUED);
            String head = token.substring(0, token.length() - 1);
            for (char c : base64.toCharArray()) {
                if (c != token.charAt(token.length() - 1)) {
                    assertThat(tokens.verify(head + c)).as(head + c).isEmpty();
                }
            }
            assertThat(tokens.verify(token)).isPresent();
        }
        String v1Head = V1_TOKEN.substring(0, V1_TOKEN.length() - 1);
        LinkTokens legacy = new LinkTokens(new LinkKeys("0", Map.of("0", SECRET_0)), LIFETIME, Optional.empty());
        for (char c : base64.toCharArray()) {
            if (c != V1_TOKEN.charAt(V1_TOKEN.length() - 1)) {
                assertThat(legacy.verify(v1Head + c)).as(v1Head + c).isEmpty();
            }
        }
    }

    @Test
    void aTokenSignedWithAnUnknownKeyIdOrRelabelledIsUnknown() {
        String foreign = tokens("k9", Map.of("k9", bytes("someone-elses-secret-123"))).issue(link, ISSUED);
        assertThat(tokens.verify(foreign)).isEmpty();
        // the same secret under another id: the key id is signed too, so it cannot be relabelled
        LinkTokens both = tokens("k1", Map.of("k1", SECRET_1, "k2", SECRET_1));
        String token = both.issue(link, ISSUED);
        assertThat(both.verify(token)).isPresent();
        assertThat(both.verify(token.replaceFirst("^2\\.k1\\.", "2.k2."))).isEmpty();
        assertThat(tokens.verify(token.replaceFirst("^2\\.k1\\.", "2.k7."))).isEmpty();
    }

    @Test
    void expiresExactlyOneLifetimeAfterIssue() {
        LinkTokens.Verified verified = tokens.verify(tokens.issue(link, ISSUED)).orElseThrow();
        Instant expiry = ISSUED.plus(LIFETIME);
        assertThat(verified.expiresAt()).isEqualTo(expiry);
        assertThat(verified.expiredAt(ISSUED)).isFalse();
        assertThat(verified.expiredAt(expiry.minusSeconds(1))).isFalse();
        assertThat(verified.expiredAt(expiry.minusMillis(1))).isFalse();
        assertThat(verified.expiredAt(expiry)).isTrue();
        assertThat(verified.expiredAt(expiry.plusSeconds(1))).isTrue();

        LinkTokens shortLived = new LinkTokens(new LinkKeys("k1", Map.of("k1", SECRET_1)), Duration.ofHours(1), Optional.empty());
        assertThat(tokens.verify(shortLived.issue(link, ISSUED)).orElseThrow().expiresAt()).isEqualTo(ISSUED.plusSeconds(3600));
        assertThatThrownBy(() -> new LinkTokens(new LinkKeys("k1", Map.of("k1", SECRET_1)), Duration.ZERO, Optional.empty()))
                .hasMessageContaining("positive");
    }

    @Test
    void aTokenOfThePreviousKeyVerifiesWhileThatKeyIsConfiguredAndFailsOnceRemoved() {
        LinkTokens before = tokens("k1", Map.of("k1", SECRET_1));
        String old = before.issue(link, ISSUED);

        LinkTokens rotated = tokens("k2", Map.of("k2", SECRET_2, "k1", SECRET_1));
        String fresh = rotated.issue(link, ISSUED);
        assertThat(fresh).startsWith("2.k2.");
        assertThat(rotated.verify(old)).map(LinkTokens.Verified::keyId).contains("k1");
        assertThat(rotated.verify(fresh)).map(LinkTokens.Verified::keyId).contains("k2");
        assertThat(before.verify(fresh)).as("a replica not rotated yet does not know k2").isEmpty();

        LinkTokens retired = tokens("k2", Map.of("k2", SECRET_2));
        assertThat(retired.verify(old)).isEmpty();
        assertThat(retired.verify(fresh)).isPresent();
    }

    @Test
    void formatOneTokensAlreadySentCountUntilTheCutoffAndRedirectAfterIt() {
        Instant cutoff = Instant.parse("2026-03-01T00:00:00Z");
        LinkKeys keys = LinkKeys.of("k1", Optional.of("link-secret-0123456789"), List.of("k1:link-secret-k1-0123456789"));
        LinkTokens.Verified v1 = new LinkTokens(keys, LIFETIME, Optional.of(cutoff)).verify(V1_TOKEN).orElseThrow();
        assertThat(v1.link()).isEqualTo(link);
        assertThat(v1.keyId()).isEqualTo(LinkKeys.LEGACY_ID);
        assertThat(v1.expiredAt(cutoff.minusSeconds(1))).isFalse();
        assertThat(v1.expiredAt(cutoff)).isTrue();

        LinkTokens noCutoff = new LinkTokens(keys, LIFETIME, Optional.empty());
        assertThat(noCutoff.verify(V1_TOKEN).orElseThrow().expiredAt(Instant.now())).as("genuine, but counts no click").isTrue();

        assertThat(tokens.verify(V1_TOKEN)).as("key 0 no longer configured").isEmpty();
        String[] parts = V1_TOKEN.split("\\.");
        assertThat(noCutoff.verify(parts[0] + "." + b64("c-42\nB\nsubj\ncta\nhttps://evil.example") + "." + parts[2])).isEmpty();
        assertThat(noCutoff.verify(V1_TOKEN.substring(0, V1_TOKEN.length() - 1) + "A")).isEmpty();
        // a format-2 token with key 0 verifies as format 2, never with format 1's rules
        LinkTokens zero = new LinkTokens(new LinkKeys("0", Map.of("0", SECRET_0)), LIFETIME, Optional.empty());
        assertThat(zero.verify(zero.issue(link, ISSUED)).orElseThrow().expiresAt()).isEqualTo(ISSUED.plus(LIFETIME));
    }

    @Test
    void onlyWebTargets() {
        assertThatThrownBy(() -> new LinkTokens.Link("c", "A", "s", "l", "javascript:alert(1)"))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> new LinkTokens.Link("c", "A", "s", "l", "//evil.example/x")).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> new LinkTokens.Link("c\n", "A", "s", "l", "https://x.example")).hasMessageContaining("line breaks");
    }
}
