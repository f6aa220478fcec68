package io.sohbet.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 with one key, one initialised {@link Mac} per thread (creating one costs more than the HMAC itself).
 * Shared by subject ids, message ids and tracked-link signatures. Thread-safe.
 */
final class Hmac {

    private final ThreadLocal<Mac> perThread;

    Hmac(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.perThread = ThreadLocal.withInitial(() -> newMac(spec));
    }

    byte[] of(byte[] data) {
        Mac mac = perThread.get();
        mac.reset();
        return mac.doFinal(data);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
