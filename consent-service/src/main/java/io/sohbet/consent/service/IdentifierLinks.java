package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.SubjectIds;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The links between a subject and the identifiers WhatsApp names it by (phone, BSUID, parent BSUID, username), table
 * {@code subject_identifier}: looked up by keyed hash ({@link SubjectIds}, the suite's HMAC with the pepper, one domain
 * per kind), the identifier itself sealed with the subject's data key. A link moves to the subject of the latest
 * sighting (a number or BSUID changed, a recycled number); an older sighting changes nothing, so redelivered and late
 * events are harmless. An erasure deletes the subject's links ({@link DataSubjectRequests}).
 */
@ApplicationScoped
public class IdentifierLinks {

    private final Database database;
    private final SubjectIds ids;

    public IdentifierLinks(Database database, ConsentConfig config) {
        this.database = database;
        this.ids = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    /** The kinds of identifier, as stored in {@code subject_identifier.kind}. */
    public enum Kind {
        PHONE("phone"), BSUID("bsuid"), PARENT_BSUID("parent-bsuid"), USERNAME("username");

        public final String column;

        Kind(String column) {
            this.column = column;
        }
    }

    /** A clear identifier: a phone in E.164, a BSUID, a parent BSUID or a username. */
    public record Identifier(Kind kind, String value) {
    }

    /** The keyed hash an identifier is looked up by; a phone's is the subject id derived from it. */
    public String hash(Identifier identifier) {
        return switch (identifier.kind()) {
            case PHONE -> ids.fromPhone(identifier.value());
            case BSUID -> ids.fromBusinessScopedUserId(identifier.value());
            case PARENT_BSUID -> ids.fromParentBusinessScopedUserId(identifier.value());
            case USERNAME -> ids.fromUsername(identifier.value());
        };
    }

    /**
     * Links every identifier to {@code subject} as seen at {@code seenAt}, sealed with {@code key}; call inside a
     * transaction that holds the subject's erasure lock and found it not erased since ({@link ErasureLock#holdAndCheck}).
     * The number of links written (new or moved or refreshed by a later sighting).
     */
    public Uni<Integer> link(String subject, byte[] key, List<Identifier> identifiers, Instant seenAt) {
        Instant seen = seenAt.truncatedTo(ChronoUnit.MICROS);
        Uni<Integer> written = Uni.createFrom().item(0);
        for (Identifier identifier : identifiers) {
            if (identifier.value() == null || identifier.value().isBlank()) {
                continue;
            }
            String hash = hash(identifier);
            String sealed = FieldCipher.encrypt(key, subject, identifier.value().strip());
            written = written.flatMap(sum -> database.update(
                            "INSERT INTO subject_identifier (id_hash, kind, subject_id, value, seen_at, updated_at) "
                                    + "VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (id_hash) DO UPDATE SET "
                                    + "subject_id = EXCLUDED.subject_id, value = EXCLUDED.value, seen_at = EXCLUDED.seen_at, "
                                    + "updated_at = EXCLUDED.updated_at WHERE subject_identifier.seen_at < EXCLUDED.seen_at "
                                    + "OR subject_identifier.subject_id <> EXCLUDED.subject_id "
                                    + "AND subject_identifier.seen_at = EXCLUDED.seen_at",
                            hash, identifier.kind().column, subject, sealed, seen).map(rows -> sum + rows));
        }
        return written;
    }

    /** The subject each keyed hash is linked to; unknown hashes are absent. */
    public Uni<Map<String, String>> subjectsOf(Set<String> hashes) {
        return database.pool()
                .preparedQuery("SELECT id_hash, subject_id FROM subject_identifier WHERE id_hash = ANY($1)")
                .execute(Tuple.of(hashes.toArray(new String[0]))).map(rows -> {
                    Map<String, String> out = new HashMap<>();
                    for (Row row : rows) {
                        out.put(row.getString(0), row.getString(1));
                    }
                    return out;
                });
    }

    /** The subject the identifier with this keyed hash is linked to, if any; in the context's transaction, if any. */
    public Uni<String> subjectOf(String hash) {
        return database.first("SELECT subject_id FROM subject_identifier WHERE id_hash = $1",
                row -> row.getString("subject_id"), hash);
    }

    /**
     * A subject's most recently seen BSUID, in clear, and whether WhatsApp withholds their number now: the BSUID was seen
     * after every sighting of a phone of theirs (a username-only message, {@code from: ""}), or no phone of theirs was
     * ever seen on WhatsApp. A later webhook that carries their number again (a message or a status with both ids)
     * makes the phone the address again.
     */
    public record LatestBusinessScopedUserId(String bsuid, boolean phoneWithheld) {
    }

    /** Of each subject that has a key in {@code keys} and a BSUID link, its latest BSUID ({@link LatestBusinessScopedUserId}). */
    public Uni<Map<String, LatestBusinessScopedUserId>> latestBusinessScopedUserIds(Map<String, byte[]> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return database.pool().preparedQuery("SELECT DISTINCT ON (b.subject_id) b.subject_id, b.value, "
                        + "b.seen_at > COALESCE("
                        + "(SELECT max(p.seen_at) FROM subject_identifier p WHERE p.subject_id = b.subject_id AND p.kind = 'phone'), "
                        + "'-infinity') AS withheld FROM subject_identifier b WHERE b.subject_id = ANY($1) AND b.kind = 'bsuid' "
                        + "ORDER BY b.subject_id, b.seen_at DESC, b.id_hash")
                .execute(Tuple.of(keys.keySet().toArray(new String[0]))).map(rows -> {
                    Map<String, LatestBusinessScopedUserId> out = new HashMap<>();
                    for (Row row : rows) {
                        String subject = row.getString(0);
                        out.put(subject, new LatestBusinessScopedUserId(FieldCipher.decrypt(keys.get(subject), subject, row.getString(1)),
                                row.getBoolean(2)));
                    }
                    return out;
                });
    }

    /** A subject's identifiers in clear, for its access export: kind, value and when last seen, oldest first. */
    public Uni<List<Map<String, String>>> of(String subject, byte[] key) {
        if (key == null) {
            return Uni.createFrom().item(List.of());
        }
        return database.pool().preparedQuery("SELECT kind, value, seen_at FROM subject_identifier "
                        + "WHERE subject_id = $1 ORDER BY seen_at, kind").execute(Tuple.of(subject)).map(rows -> {
                    List<Map<String, String>> out = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        out.add(Map.of("kind", row.getString(0), "value", FieldCipher.decrypt(key, subject, row.getString(1)),
                                "seenAt", row.getOffsetDateTime(2).toInstant().toString()));
                    }
                    return out;
                });
    }
}
