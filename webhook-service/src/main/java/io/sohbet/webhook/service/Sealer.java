package io.sohbet.webhook.service;

/** Encrypts a personal field with the subject's data key (see {@link io.sohbet.events.FieldCipher}). */
@FunctionalInterface
public interface Sealer {

    /** The encrypted value, or {@code null} for a {@code null} or empty value. */
    String seal(String subjectId, String plaintext);
}
