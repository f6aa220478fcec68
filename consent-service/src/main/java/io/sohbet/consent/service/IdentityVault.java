package io.sohbet.consent.service;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.Identity;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.FieldCipher;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The identity vault: a subject's phone (E.164), name and e-mail, sealed with the subject's data key. Details from
 * WhatsApp, the shop and the API are merged field by field; an older sighting never overwrites a newer one, so
 * redelivered or late events change nothing. A sighting dated in the future (a clock running ahead) counts as seen
 * now, so it cannot hold its values against everything that comes later. A rectification always writes.
 */
@ApplicationScoped
public class IdentityVault {

    private final Database database;
    private final KeyVault keys;
    private final ErasureLock lock;

    public IdentityVault(Database database, KeyVault keys, ErasureLock lock) {
        this.database = database;
        this.keys = keys;
        this.lock = lock;
    }

    /** Clear contact details, as given to or read from the vault (and written by Jackson into access exports). */
    @RegisterForReflection
    public record Contact(String phone, String name, String email) {

        boolean isEmpty() {
            return phone == null && name == null && email == null;
        }
    }

    /**
     * Remembers details given now (through the API, a rectification); call inside a transaction. Creates the
     * subject's key when it has none. Holds the subject's erasure lock, so an erasure running at the same time
     * deletes what this writes. Returns true when something changed.
     */
    public Uni<Boolean> remember(String subject, Contact contact, String source, Instant seenAt) {
        if (contact.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return lock.hold(subject).chain(() -> keys.getOrCreate(Set.of(subject)))
                .flatMap(found -> store(subject, found.get(subject), contact, source, seenAt, false))
                .map(changed -> !changed.isEmpty());
    }

    /**
     * A rectification (the person's own correction): writes every given field whatever the times of the details held,
     * and counts as seen now, so that a sighting from before it does not undo it; call inside a transaction. Holds the
     * subject's erasure lock and creates the subject's key when it has none. Returns the fields whose value changed
     * (empty: the vault already held these values).
     */
    public Uni<Set<String>> rectify(String subject, Contact contact) {
        if (contact.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return lock.hold(subject).chain(() -> keys.getOrCreate(Set.of(subject)))
                .flatMap(found -> store(subject, found.get(subject), contact, "rectification", Instant.now(), true));
    }

    /**
     * Remembers details from an event that happened at {@code seenAt} (a WhatsApp sighting, a shop customer); call
     * inside a transaction. Writes nothing and creates no key for a subject erased since ({@link KeyVault#erasedSince},
     * asked again under the erasure's lock) or that has no key. Returns true when something changed.
     */
    public Uni<Boolean> rememberSighting(String subject, Contact contact, String source, Instant seenAt) {
        if (contact.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return lock.holdAndCheck(subject, seenAt).flatMap(erased -> erased ? Uni.createFrom().item(Map.<String, byte[]>of())
                : keys.find(Set.of(subject))).flatMap(found -> {
                    byte[] key = found.get(subject);
                    return key == null ? Uni.createFrom().item(false)
                            : store(subject, key, contact, source, seenAt, false).map(changed -> !changed.isEmpty());
                });
    }

    /** The subject's sealed contact details as stored, or null; on the context's connection when it holds one. */
    Uni<Identity> stored(String subject) {
        return database.first("SELECT * FROM identity WHERE subject_id = $1", Identity::from, subject);
    }

    /** Merges {@code contact} in; {@code rectifying}: every given field wins. Returns the names of the fields changed. */
    private Uni<Set<String>> store(String subject, byte[] key, Contact contact, String source, Instant seenAt,
            boolean rectifying) {
        Instant now = Instant.now();
        Instant seen = (seenAt.isAfter(now) ? now : seenAt).truncatedTo(ChronoUnit.MICROS);
        return stored(subject).flatMap(existing -> {
            Identity identity = existing == null ? new Identity() : existing;
            boolean newer = rectifying || existing == null || !seen.isBefore(existing.seenAt);
            Set<String> changed = new LinkedHashSet<>();
            if (merge(identity.phone, contact.phone(), newer, v -> identity.phone = seal(key, subject, v), key, subject)) {
                changed.add("phone");
            }
            if (merge(identity.name, contact.name(), newer, v -> identity.name = seal(key, subject, v), key, subject)) {
                changed.add("name");
            }
            if (merge(identity.email, contact.email(), newer, v -> identity.email = seal(key, subject, v), key, subject)) {
                changed.add("email");
            }
            // a rectification that confirms the values held still dates them now: a sighting from before it cannot undo it
            if (changed.isEmpty() && !rectifying) {
                return Uni.createFrom().item(Set.<String>of());
            }
            if (newer) {
                identity.seenAt = seen;
                identity.source = source;
            }
            identity.updatedAt = Instant.now();
            if (existing == null) {
                identity.subjectId = subject;
                return write("INSERT INTO identity (subject_id, phone, name, email, source, seen_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7)", identity).replaceWith(Set.copyOf(changed));
            }
            // the entry read above, changed: written now (before any later statement of the transaction reads it)
            return write("UPDATE identity SET phone = $2, name = $3, email = $4, source = $5, seen_at = $6, "
                    + "updated_at = $7 WHERE subject_id = $1", identity).replaceWith(Set.copyOf(changed));
        });
    }

    /** Runs {@code sql} with the entry's columns as {@code $1} (subject id) to {@code $7} (updated at). */
    private Uni<Integer> write(String sql, Identity identity) {
        return database.update(sql, identity.subjectId, identity.phone, identity.name, identity.email, identity.source,
                identity.seenAt, identity.updatedAt);
    }

    /** The clear details of the subjects that have an entry and a key. */
    public Uni<Map<String, Contact>> open(Set<String> subjects) {
        return keys.find(subjects).flatMap(found -> database.withConnection(() -> database.list(
                "SELECT * FROM identity WHERE subject_id = ANY($1)", Identity::from,
                (Object) found.keySet().toArray(String[]::new))).map(rows -> {
                    Map<String, Contact> out = new java.util.HashMap<>();
                    for (Identity row : rows) {
                        byte[] key = found.get(row.subjectId);
                        out.put(row.subjectId, new Contact(open(key, row.subjectId, row.phone), open(key, row.subjectId, row.name),
                                open(key, row.subjectId, row.email)));
                    }
                    return out;
                }));
    }

    /** Deletes the subject's entry; call inside a transaction. The number of rows deleted. */
    public Uni<Long> forget(String subject) {
        return database.update("DELETE FROM identity WHERE subject_id = $1", subject).map(Integer::longValue);
    }

    private static boolean merge(String sealed, String value, boolean newer, java.util.function.Consumer<String> set,
            byte[] key, String subject) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String clean = value.strip();
        if (sealed != null && (!newer || clean.equals(open(key, subject, sealed)))) {
            return false;
        }
        set.accept(clean);
        return true;
    }

    private static String seal(byte[] key, String subject, String value) {
        return FieldCipher.encrypt(key, subject, value);
    }

    private static String open(byte[] key, String subject, String sealed) {
        return sealed == null ? null : FieldCipher.decrypt(key, subject, sealed);
    }
}
