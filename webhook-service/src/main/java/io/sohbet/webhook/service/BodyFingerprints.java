package io.sohbet.webhook.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a shop webhook's receipt keeps of its body ({@code commerce_receipt.body_sha256}), to tell a retry (the same
 * body: a duplicate) from a different event under a reused id (409): the hex of HMAC-SHA256(message-id key,
 * {@code "commerce-receipt\0"} + body), 64 characters. Keyed, because the body is full of the customer's data and the
 * shop, which holds it, could otherwise recompute a plain hash and link the receipt to the customer. Receipts stored
 * before hold the plain SHA-256 of the body; {@link #matches} accepts that too, so a retry of an old body stays a
 * duplicate. Thread-safe.
 */
public final class BodyFingerprints {

    private static final byte[] DOMAIN = "commerce-receipt\0".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;

    public BodyFingerprints(String key) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The keyed fingerprint of {@code body}, as stored now. */
    public String of(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(DOMAIN);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code stored} (a receipt's value, keyed or from before the keying) is the fingerprint of {@code body}. */
    public boolean matches(String stored, byte[] body) {
        return equal(stored, of(body)) || equal(stored, legacy(body));
    }

    /** The plain SHA-256 hex that receipts stored before the keying hold. */
    static String legacy(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean equal(String a, String b) {
        return a != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
