package io.sohbet.events;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Encrypts one personal field (phone, name, e-mail, message text) with a subject's own AES-256 data key.
 *
 * <p>Format {@code v1.<base64url(nonce ‖ ciphertext ‖ tag)>}: AES-256-GCM, a random 96-bit nonce per value, a
 * 128-bit tag, and the subject id as associated data, so a value cannot be moved to another subject. When the
 * subject's key is destroyed (erasure), every copy anywhere (database rows, Kafka logs, backups) is unreadable.
 */
public final class FieldCipher {

    public static final String VERSION = "v1";
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String PREFIX = VERSION + ".";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FieldCipher() {
    }

    /** A fresh random AES-256 data key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public static String encrypt(byte[] key, String subjectId, String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, subjectId);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt}.
     *
     * @throws FieldDecryptionException when the value is malformed, was written for another subject, was altered,
     *                                  or the key is not the one it was written with
     */
    public static String decrypt(byte[] key, String subjectId, String sealed) {
        if (!isEncrypted(sealed)) {
            throw new FieldDecryptionException("not a " + VERSION + " encrypted field");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new FieldDecryptionException("encrypted field is not base64url");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new FieldDecryptionException("encrypted field is truncated");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(raw, NONCE_BYTES), subjectId);
            return new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new FieldDecryptionException("wrong key or subject, or the field was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String subjectId) throws GeneralSecurityException {
        Objects.requireNonNull(subjectId, "subjectId");
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key has " + KEY_BYTES + " bytes");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(subjectId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
