package io.sohbet.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Tracked-link tokens, issued by campaign-service and redeemed by webhook-service at {@code /l/{token}}.
 *
 * <p>Format {@code 1.<base64url(campaign \n variant \n subject \n link \n target)>.<base64url(HMAC-SHA256[0..16])>}:
 * URL-safe, signed with the shared link secret, so neither the target nor the attribution can be changed: a
 * tampered token is unknown (no open redirect). Only http and https targets are accepted.
 */
public final class LinkTokens {

    private static final String VERSION = "1";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec secret;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public LinkTokens(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the link secret must have at least 16 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
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

    public String issue(Link link) {
        byte[] payload = String.join("\n", link.campaignId(), link.variant(), link.subjectId(), link.linkId(), link.target())
                .getBytes(StandardCharsets.UTF_8);
        return VERSION + "." + ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The link, or empty when the token is malformed, forged or altered. */
    public Optional<Link> verify(String token) {
        if (token == null || token.length() > 4096) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(parts[1]);
            byte[] claimed = DECODER.decode(parts[2]);
            if (!MessageDigest.isEqual(mac(payload), claimed)) {
                return Optional.empty();
            }
            String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
            if (fields.length != 5) {
                return Optional.empty();
            }
            return Optional.of(new Link(fields[0], fields[1], fields[2], fields[3], fields[4]));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        Mac mac = macs.get();
        mac.reset();
        return Arrays.copyOf(mac.doFinal(payload), MAC_BYTES);
    }

    /** One initialised Mac per thread: creating one per token costs more than the HMAC itself. */
    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
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
