package io.sohbet.events;

/** An encrypted personal field that cannot be decrypted (wrong or destroyed key, tampering, bad format). */
public class FieldDecryptionException extends RuntimeException {

    public FieldDecryptionException(String reason) {
        super(reason);
    }
}
