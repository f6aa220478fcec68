package io.sohbet.webhook.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.FieldCipher;
import io.sohbet.kit.keys.ErasedSubjects;
import io.sohbet.kit.keys.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Seals personal fields of a webhook with the subjects' data keys ({@link SubjectKeys}, get-or-create: webhook-service
 * is where new data about a person enters the suite). The vault is told when each subject's data happened, and creates
 * no key for a person erased since: a late event about them (Meta's retry of an old message, a shop's re-sent order)
 * is dropped instead ({@link Sealing#erased}). Events about a person that carry nothing to seal (statuses, preferences)
 * are checked too, without creating a key ({@link SubjectKeys#erasures}, cached): alone in a webhook, they are the one
 * way a late event about an erased person would otherwise go out. A webhook that needs keys or erasure checks waits for
 * them; if the vault cannot answer, the webhook is answered 503 and Meta retries: nothing personal is ever published
 * unencrypted, and nothing about an erased person unchecked.
 */
@ApplicationScoped
public class SubjectSealers {

    private final SubjectKeys keys;

    /**
     * How old an event must be on arrival to be checked against erasures although it needs no key: anything that
     * happened before an erasure and arrives after it completed is at least this old
     * ({@link io.sohbet.kit.keys.ErasureAcknowledgement#longestWait}).
     */
    public java.time.Duration lateAfter() {
        return io.sohbet.kit.keys.ErasureAcknowledgement.longestWait(keys);
    }

    public SubjectSealers(SubjectKeys keys) {
        this.keys = keys;
    }

    /** Calls {@code listener} with every subject whose key this replica drops for an erasure ({@link SubjectKeys#onEvict}). */
    public void onErased(java.util.function.Consumer<String> listener) {
        keys.onEvict(listener);
    }

    private static final SubjectKeys.Grant NO_KEYS = new SubjectKeys.Grant(Map.of(), Map.of());

    /** For events with nothing to seal and no one to check: seals nothing, erased nobody (no call to the vault). */
    public static final Sealing NOTHING_SEALED = new Sealing(sealer(Map.of()), NO_KEYS);

    /**
     * A sealer for a webhook's events, and which of them are about erased people: by the grant for subjects with
     * something to seal, by {@code checked} for the others.
     */
    public record Sealing(Sealer sealer, SubjectKeys.Grant grant, Map<String, SubjectKeys.ErasureInfo> checked) {

        public Sealing(Sealer sealer, SubjectKeys.Grant grant) {
            this(sealer, grant, Map.of());
        }

        /** Whether an event about {@code subject} that happened at {@code happenedAt} is about an erased person. */
        public boolean erased(String subject, Instant happenedAt) {
            return grant.erased(subject, happenedAt)
                    || subject != null && ErasedSubjects.erased(checked.get(subject), happenedAt);
        }
    }

    /**
     * A sealer for every subject of {@code happenedAt} (subject → when the latest of its events to seal happened) that
     * is not refused as erased.
     */
    public Uni<Sealing> sealerFor(Map<String, Instant> happenedAt) {
        return keys.getOrCreate(happenedAt).map(grant -> new Sealing(sealer(grant.keys()), grant));
    }

    /**
     * As {@link #sealerFor(Map)}, and also says which of {@code unsealed} (subjects of events with nothing to seal)
     * are erased; those not in {@code happenedAt} are asked in one batch that creates no key, and not at all when the
     * cache knows them. The two questions go to the vault together; no question at all when both are empty.
     */
    public Uni<Sealing> sealerFor(Map<String, Instant> happenedAt, Set<String> unsealed) {
        Set<String> check = new HashSet<>(unsealed);
        check.removeAll(happenedAt.keySet()); // the grant says when these were erased
        Uni<SubjectKeys.Grant> grant = happenedAt.isEmpty() ? Uni.createFrom().item(NO_KEYS) : keys.getOrCreate(happenedAt);
        Uni<Map<String, SubjectKeys.ErasureInfo>> checked = check.isEmpty() ? Uni.createFrom().item(Map.of())
                : keys.erasures(check);
        return Uni.combine().all().unis(grant, checked).asTuple()
                .map(both -> new Sealing(sealer(both.getItem1().keys()), both.getItem1(), both.getItem2()));
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
