package io.sohbet.webhook.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.FieldCipher;
import io.sohbet.kit.keys.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;

/**
 * Seals personal fields of a webhook with the subjects' data keys ({@link SubjectKeys}, get-or-create: webhook-service
 * is where new data about a person enters the suite). The vault is told when each subject's data happened, and creates
 * no key for a person erased since: a late event about them (Meta's retry of an old message, a shop's re-sent order)
 * is dropped instead ({@link Sealing#erased}). A webhook that needs keys waits for them; if the vault cannot answer, the
 * webhook is answered 503 and Meta retries: nothing personal is ever published unencrypted.
 */
@ApplicationScoped
public class SubjectSealers {

    private final SubjectKeys keys;

    public SubjectSealers(SubjectKeys keys) {
        this.keys = keys;
    }

    /** A sealer for a webhook's events, and which of them are about erased people. */
    public record Sealing(Sealer sealer, SubjectKeys.Grant grant) {

        /** Whether an event about {@code subject} that happened at {@code happenedAt} is about an erased person. */
        public boolean erased(String subject, Instant happenedAt) {
            return grant.erased(subject, happenedAt);
        }
    }

    /**
     * A sealer for every subject of {@code happenedAt} (subject → when the latest of its events to seal happened) that
     * is not refused as erased.
     */
    public Uni<Sealing> sealerFor(Map<String, Instant> happenedAt) {
        return keys.getOrCreate(happenedAt).map(grant -> new Sealing(sealer(grant.keys()), grant));
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
