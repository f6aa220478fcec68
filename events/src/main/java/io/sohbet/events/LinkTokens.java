package io.sohbet.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Tracked-link tokens, issued by campaign-service and redeemed by webhook-service at {@code /l/{token}}.
 *
 * <p>Format 2: {@code 2.<key id>.<base64url(expiry \n campaign \n variant \n subject \n link \n target)>.<base64url(
 * HMAC-SHA256(key, "2.<key id>.<payload>")[0..16])>}, the expiry in epoch seconds (issued-at + lifetime). URL-safe and
 * signed, so neither the target, the attribution, the expiry nor the key id can be changed: a tampered token, or one
 * signed with a key that is not configured, is unknown (no open redirect). Only http and https targets are accepted.
 *
 * <p>Format 1 (before key ids and expiry, still verified for the links already sent): {@code 1.<base64url(campaign \n
 * variant \n subject \n link \n target)>.<base64url(HMAC-SHA256(key 0, payload)[0..16])>}; it counts as valid until the
 * configured cutoff and as expired after it, or always as expired when there is no cutoff.
 */
public final class LinkTokens {

    /** How long a token counts clicks when the issuer sets nothing else. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);

    private static final String VERSION = "2";
    private static final String LEGACY_VERSION = "1";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final LinkKeys keys;
    private final Duration lifetime;
    private final Instant legacyValidUntil;

    /**
     * {@code lifetime}: how long the tokens this instance issues count clicks. {@code legacyValidUntil}: when format-1
     * tokens stop counting clicks; empty = they never do (they still redirect).
     */
    public LinkTokens(LinkKeys keys, Duration lifetime, Optional<Instant> legacyValidUntil) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("a tracked link's lifetime must be positive");
        }
        this.keys = Objects.requireNonNull(keys);
        this.lifetime = lifetime;
        this.legacyValidUntil = legacyValidUntil.orElse(Instant.EPOCH);
    }

    /** What a token says: who got which link of which campaign variant, and where it goes. */
    public record Link(String campaignId, String variant, String subjectId, String linkId, String target) {

        public Link {
            for (String field : new String[] {campaignId, variant, subjectId, linkId, target}) {
                Objects.requireNonNull(field, "every field of a tracked link is required");
                if (field.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("tracked-link fields cannot contain line breaks");
                }
            }
            if (!isWebUrl(target)) {
                throw new IllegalArgumentException("a tracked link's target must be an absolute http(s) URL");
            }
        }
    }

    /** A genuine token: its link, the key that signed it, and when it stops counting clicks. */
    public record Verified(Link link, String keyId, Instant expiresAt) {

        /** Expired from {@code expiresAt} on: an expired link still redirects but records no click. */
        public boolean expiredAt(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }

    /** A token for {@code link}, signed with the current key, expiring after the lifetime. */
    public String issue(Link link) {
        return issue(link, Instant.now());
    }

    public String issue(Link link, Instant issuedAt) {
        long expiry = issuedAt.plus(lifetime).getEpochSecond();
        byte[] payload = String.join("\n", Long.toString(expiry), link.campaignId(), link.variant(), link.subjectId(),
                link.linkId(), link.target()).getBytes(StandardCharsets.UTF_8);
        String signed = VERSION + "." + keys.currentId() + "." + ENCODER.encodeToString(payload);
        return signed + "." + ENCODER.encodeToString(mac(keys.currentId(), signed.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The token's link, key and expiry, or empty when the token is malformed, forged, altered or signed with a key that
     * is not configured. An expired token is genuine: check {@link Verified#expiredAt}.
     */
    public Optional<Verified> verify(String token) {
        if (token == null || token.length() > 4096) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        try {
            if (parts.length == 4 && VERSION.equals(parts[0])) {
                return verifyCurrent(parts);
            }
            if (parts.length == 3 && LEGACY_VERSION.equals(parts[0])) {
                return verifyLegacy(parts);
            }
            return Optional.empty();
        } catch (IllegalArgumentException | DateTimeException malformed) {
            return Optional.empty();
        }
    }

    private Optional<Verified> verifyCurrent(String[] parts) {
        String keyId = parts[1];
        byte[] signed = (parts[0] + "." + keyId + "." + parts[2]).getBytes(StandardCharsets.UTF_8);
        if (!keys.ids().contains(keyId) || !canonicalEqual(mac(keyId, signed), parts[3])) {
            return Optional.empty();
        }
        String[] fields = new String(DECODER.decode(parts[2]), StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 6) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[0]));
        return Optional.of(new Verified(new Link(fields[1], fields[2], fields[3], fields[4], fields[5]), keyId, expiresAt));
    }

    /**
     * Whether {@code encoded} is exactly the canonical base64url of {@code mac}, in constant time: the last character
     * of a 16-byte value carries 2 bits, so up to 16 spellings decode to the same bytes, and a link must have one.
     */
    private static boolean canonicalEqual(byte[] mac, String encoded) {
        return MessageDigest.isEqual(ENCODER.encodeToString(mac).getBytes(StandardCharsets.US_ASCII),
                encoded.getBytes(StandardCharsets.US_ASCII));
    }

    private Optional<Verified> verifyLegacy(String[] parts) {
        if (!keys.ids().contains(LinkKeys.LEGACY_ID)) {
            return Optional.empty();
        }
        byte[] payload = DECODER.decode(parts[1]);
        if (!ENCODER.encodeToString(payload).equals(parts[1]) || !canonicalEqual(mac(LinkKeys.LEGACY_ID, payload), parts[2])) {
            return Optional.empty();
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 5) {
            return Optional.empty();
        }
        return Optional.of(new Verified(new Link(fields[0], fields[1], fields[2], fields[3], fields[4]),
                LinkKeys.LEGACY_ID, legacyValidUntil));
    }

    private byte[] mac(String keyId, byte[] data) {
        return Arrays.copyOf(keys.mac(keyId, data).orElseThrow(), MAC_BYTES);
    }

    static boolean isWebUrl(String target) {
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme));
        } catch (Exception e) {
            return false;
        }
    }
}
