package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.events.FieldCipher;
import io.sohbet.kit.keys.ErasedSubjects;
import io.sohbet.kit.keys.SubjectKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity vault's keys: one random AES-256 data key per subject, created on first use and stored wrapped by
 * the active master key ({@link MasterKeys}: AES-256-GCM, bound to the subject id). Concurrent first uses agree on one
 * key (insert-if-absent, then read). Previous and next master keys keep unwrapping during a rotation, while
 * {@link DataKeyRewrap} re-wraps every key to the active one.
 */
@ApplicationScoped
public class KeyVault {

    private final Pool database;
    private final MasterKeys masterKeys;

    @Inject
    public KeyVault(Pool database, ConsentConfig config) {
        this(database, MasterKeys.of(config));
    }

    /** A vault over {@code database} with these master keys (a replica's configuration; tests of rotations). */
    public KeyVault(Pool database, MasterKeys masterKeys) {
        this.database = database;
        this.masterKeys = masterKeys;
    }

    /** The master keys this vault wraps and unwraps with. */
    public MasterKeys masterKeys() {
        return masterKeys;
    }

    /** The data keys of {@code subjectIds}, created for those that have none yet. */
    public Uni<Map<String, byte[]>> getOrCreate(Set<String> subjectIds) {
        return getOrCreate(subjectIds, Map.of()).map(Grant::keys);
    }

    /** The keys given by {@link #getOrCreate(Set, Map)}, and when each named subject ever erased was last erased. */
    public record Grant(Map<String, byte[]> keys, Map<String, Instant> erased) {
    }

    /**
     * The data keys of {@code subjectIds}, created for those that have none yet, except for a subject with a time in
     * {@code happenedAt} (when the data it is for happened) that was erased at or after that time: a late event about
     * an erased person creates no key (Meta's retry of an old message, a shop's re-sent order); such a subject is left
     * out of the keys and is in {@code erased}. A person who writes after their erasure is a new beginning and gets a
     * key. The check and the insert hold the erasure's lock of each timed subject, so an erasure running at the same
     * time is either seen or deletes the new key.
     */
    public Uni<Grant> getOrCreate(Set<String> subjectIds, Map<String, Instant> happenedAt) {
        List<Tuple> rows = new ArrayList<>(subjectIds.size());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (String subject : subjectIds) {
            String wrapped = masterKeys.wrap(subject, FieldCipher.newKey());
            Instant at = happenedAt.get(subject);
            rows.add(Tuple.of(subject, masterKeys.activeId(), wrapped, now).addValue(at == null ? null : at.atOffset(ZoneOffset.UTC)));
        }
        String insert = "INSERT INTO subject_key (subject_id, master_key_id, wrapped_key, created_at) "
                + "SELECT $1::varchar, $2::varchar, $3::varchar, $4::timestamptz WHERE $5::timestamptz IS NULL OR NOT EXISTS "
                + "(SELECT 1 FROM dsr_request WHERE type = 'erasure' AND subject_id = $1::varchar AND received_at >= $5::timestamptz "
                + "UNION ALL SELECT 1 FROM erased_identifier WHERE id_hash = $1::varchar AND erased_at >= $5::timestamptz) "
                + "ON CONFLICT (subject_id) DO NOTHING";
        Uni<?> created;
        if (happenedAt.isEmpty()) {
            created = database.preparedQuery(insert).executeBatch(rows);
        } else {
            // the same lock as an erasure of the subject (DataSubjectRequests), taken in the order of the lock keys by
            // every caller, so that two batches never wait for each other in a circle
            String[] locked = happenedAt.keySet().stream().filter(subjectIds::contains).map(s -> ErasureLock.PREFIX + s)
                    .toArray(String[]::new);
            created = database.withTransaction(connection -> connection.preparedQuery("SELECT count(*) FROM (SELECT "
                            + "pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest($1::text[]) AS s "
                            + "ORDER BY h) AS ordered) AS locked")
                    .execute(Tuple.of(locked))
                    .chain(() -> connection.preparedQuery(insert).executeBatch(rows)));
        }
        return created.chain(() -> find(subjectIds)).flatMap(keys -> erasedAt(subjectIds).map(erased -> new Grant(keys, erased)));
    }

    /** The data keys that exist for {@code subjectIds} (erased subjects have none). */
    public Uni<Map<String, byte[]>> find(Set<String> subjectIds) {
        return database.preparedQuery("SELECT subject_id, master_key_id, wrapped_key FROM subject_key WHERE subject_id = ANY($1)")
                .execute(Tuple.of(subjectIds.toArray(new String[0])))
                .map(result -> {
                    Map<String, byte[]> keys = new HashMap<>();
                    for (Row row : result) {
                        keys.put(row.getString("subject_id"), unwrap(row));
                    }
                    return keys;
                });
    }

    /** Which of {@code subjectIds} have a data key now (nothing unwrapped: for erasure checks, which need no key). */
    public Uni<Set<String>> keyed(Set<String> subjectIds) {
        return database.preparedQuery("SELECT subject_id FROM subject_key WHERE subject_id = ANY($1)")
                .execute(Tuple.of(subjectIds.toArray(new String[0])))
                .map(result -> {
                    Set<String> keyed = new java.util.HashSet<>();
                    for (Row row : result) {
                        keyed.add(row.getString("subject_id"));
                    }
                    return keyed;
                });
    }

    /**
     * When each of {@code subjectIds} that was erased was erased (its latest erasure request: the key was destroyed in
     * that transaction; or, for the id a BSUID derives, the erasure of the person it was linked to, {@code
     * erased_identifier}); subjects never erased are absent. Readers drop events about a person that happened before.
     */
    public Uni<Map<String, Instant>> erasedAt(Set<String> subjectIds) {
        if (subjectIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return database.preparedQuery("SELECT subject_id, max(erased_at) AS erased_at FROM (SELECT subject_id, received_at AS "
                        + "erased_at FROM dsr_request WHERE type = 'erasure' AND subject_id = ANY($1) UNION ALL SELECT id_hash, "
                        + "erased_at FROM erased_identifier WHERE id_hash = ANY($1)) erasures GROUP BY subject_id")
                .execute(Tuple.of(subjectIds.toArray(new String[0])))
                .map(result -> {
                    Map<String, Instant> erased = new HashMap<>();
                    for (Row row : result) {
                        erased.put(row.getString("subject_id"), row.getOffsetDateTime("erased_at").toInstant());
                    }
                    return erased;
                });
    }

    /**
     * Whether an event about {@code subject} that happened at {@code happenedAt} (null: unknown) is from before the
     * subject's latest erasure, or about an erased subject that has no key again: such an event must not bring the
     * person back (a late STOP, Meta's retry of an old message, consumer lag).
     */
    public Uni<Boolean> erasedSince(String subject, Instant happenedAt) {
        if (subject == null) {
            return Uni.createFrom().item(false);
        }
        return erasedAt(Set.of(subject)).flatMap(erased -> {
            Instant at = erased.get(subject);
            if (at == null) {
                return Uni.createFrom().item(false);
            }
            // the same rule as the other services' consumers (service-kit ErasedSubjects)
            return find(Set.of(subject)).map(keys -> ErasedSubjects.erased(
                    new SubjectKeys.ErasureInfo(java.util.Optional.of(at), keys.containsKey(subject)), happenedAt));
        });
    }

    private byte[] unwrap(Row row) {
        return masterKeys.unwrap(row.getString("subject_id"), row.getString("master_key_id"), row.getString("wrapped_key"));
    }
}
