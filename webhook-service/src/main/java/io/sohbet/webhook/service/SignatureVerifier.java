package io.sohbet.webhook.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks {@code sha256=<hex>} signatures (Meta's X-Hub-Signature-256 and the shop's X-Sohbet-Signature): an
 * HMAC-SHA256 of the exact request bytes, compared in constant time against each accepted secret. One initialised
 * {@link Mac} per thread and secret: {@code Mac.getInstance} and {@code init} cost more than the HMAC of a 2 KB body,
 * once per delivery on the event loop (docs/benchmarks.md, issue 23 third pass). Thread-safe.
 */
public final class SignatureVerifier {

    private static final String PREFIX = "sha256=";
    private static final int SHA256_BYTES = 32;
    private static final byte[] NOTHING = new byte[0];
    private final List<SecretKeySpec> secrets;
    private final ThreadLocal<Mac[]> macs;

    public SignatureVerifier(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && !s.isBlank())
                .map(s -> new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
        if (this.secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one signing secret is required");
        }
        this.macs = ThreadLocal.withInitial(() -> this.secrets.stream().map(SignatureVerifier::mac).toArray(Mac[]::new));
    }

    /** True when {@code header} is a valid signature of {@code body} under one of the secrets. */
    public boolean verify(byte[] body, String header) {
        return verify(NOTHING, body, header);
    }

    /** True when {@code header} is a valid signature of {@code prefix} followed by {@code body} under one of the secrets. */
    public boolean verify(byte[] prefix, byte[] body, String header) {
        byte[] claimed = parse(header);
        if (claimed == null) {
            return false;
        }
        boolean valid = false;
        for (Mac mac : macs.get()) {
            // no early exit: the time taken does not tell which secret matched
            mac.reset();
            mac.update(prefix);
            valid |= MessageDigest.isEqual(mac.doFinal(body), claimed);
        }
        return valid;
    }

    /** The header value for {@code body} signed with {@code secret}; used by tests, the simulator and clients. */
    public static String sign(String secret, byte[] body) {
        return sign(secret, NOTHING, body);
    }

    /** The header value for {@code prefix} followed by {@code body}, signed with {@code secret}. */
    public static String sign(String secret, byte[] prefix, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                prefix, body));
    }

    private static byte[] parse(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || header.length() != PREFIX.length() + 2 * SHA256_BYTES) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hmac(SecretKeySpec secret, byte[] prefix, byte[] body) {
        Mac mac = mac(secret);
        mac.update(prefix);
        return mac.doFinal(body);
    }

    private static Mac mac(SecretKeySpec secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
