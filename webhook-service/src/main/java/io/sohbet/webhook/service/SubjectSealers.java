package io.sohbet.webhook.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.FieldCipher;
import io.sohbet.kit.keys.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;

/**
 * Seals personal fields of a webhook with the subjects' data keys ({@link SubjectKeys}, get-or-create: webhook-service
 * is where new data about a person enters the suite). A webhook that needs keys waits for them; if the vault cannot
 * answer, the webhook is answered 503 and Meta retries: nothing personal is ever published unencrypted.
 */
@ApplicationScoped
public class SubjectSealers {

    private final SubjectKeys keys;

    public SubjectSealers(SubjectKeys keys) {
        this.keys = keys;
    }

    /** A sealer that can encrypt for every subject in {@code subjects}. */
    public Uni<Sealer> sealerFor(Set<String> subjects) {
        return keys.getOrCreate(subjects).map(SubjectSealers::sealer);
    }

    private static Sealer sealer(Map<String, byte[]> keys) {
        return (subject, plaintext) -> {
            if (plaintext == null || plaintext.isEmpty() || subject == null) {
                return null;
            }
            byte[] key = keys.get(subject);
            if (key == null) {
                throw new IllegalStateException("no data key for a subject of this webhook");
            }
            return FieldCipher.encrypt(key, subject, plaintext);
        };
    }
}
