package io.sohbet.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.AuditEntry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident audit log. Each entry's hash is SHA-256 over the previous entry's hash and the entry's own
 * fields (length-prefixed), so changing, inserting or deleting an entry breaks every later link. Entries are appended
 * inside the caller's transaction, under a transaction-scoped advisory lock, so the chain stays linear with any
 * number of replicas and an entry exists exactly when the change it records was committed.
 */
@ApplicationScoped
public class AuditLog {

    /** The hash before the first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final long LOCK = 0x5068626574L;
    private static final int VERIFY_PAGE = 1000;

    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final Pool database;

    public AuditLog(Pool database) {
        this.database = database;
    }

    /** Appends an entry; call inside the Panache transaction of the change it records. */
    public Uni<AuditEntry> append(String actor, String action, String subjectId, Map<String, ?> details) {
        String detailJson = canonical(details);
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + LOCK + ")) AS locked", Long.class)
                .getSingleResult()
                .chain(() -> session.createQuery("from AuditEntry order by seq desc", AuditEntry.class).setMaxResults(1)
                        .getResultList())
                .flatMap(last -> {
                    AuditEntry entry = new AuditEntry();
                    entry.seq = last.isEmpty() ? 1 : last.get(0).seq + 1;
                    entry.prevHash = last.isEmpty() ? GENESIS : last.get(0).hash;
                    entry.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    entry.actor = actor;
                    entry.action = action;
                    entry.subjectId = subjectId;
                    entry.details = detailJson;
                    entry.hash = hash(entry.prevHash, entry.seq, entry.at, actor, action, subjectId, detailJson);
                    return session.persist(entry).replaceWith(entry);
                }));
    }

    /** Entries, newest first, optionally of one subject, before a sequence number (for paging). */
    public Uni<List<AuditEntry>> list(String subjectId, Long before, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (subjectId != null) {
            query.append(" and subjectId = :subject");
            params.put("subject", subjectId);
        }
        if (before != null) {
            query.append(" and seq < :before");
            params.put("before", before);
        }
        return Panache.withSession(() -> AuditEntry.<AuditEntry>find(query + " order by seq desc", params)
                .page(0, limit).list());
    }

    /** Walks the whole chain and reports the first entry that does not fit. */
    public Uni<Verification> verify() {
        return verifyFrom(0, GENESIS, 0);
    }

    private Uni<Verification> verifyFrom(long afterSeq, String prevHash, long checked) {
        return database.preparedQuery("SELECT seq, at, actor, action, subject_id, details, prev_hash, hash FROM audit_entry "
                        + "WHERE seq > $1 ORDER BY seq LIMIT $2").execute(Tuple.of(afterSeq, VERIFY_PAGE))
                .flatMap(rows -> {
                    long expectedSeq = afterSeq + 1;
                    String previous = prevHash;
                    long count = checked;
                    for (Row row : rows) {
                        long seq = row.getLong("seq");
                        if (seq != expectedSeq) {
                            return done(new Verification(false, count, expectedSeq, "entry " + expectedSeq + " is missing", previous));
                        }
                        if (!row.getString("prev_hash").equals(previous)) {
                            return done(new Verification(false, count, seq, "the link to the previous entry is broken", previous));
                        }
                        Instant at = row.getOffsetDateTime("at").toInstant();
                        String recomputed = hash(previous, seq, at, row.getString("actor"), row.getString("action"),
                                row.getString("subject_id"), row.getString("details"));
                        if (!recomputed.equals(row.getString("hash"))) {
                            return done(new Verification(false, count, seq, "the entry was changed after it was written", previous));
                        }
                        previous = recomputed;
                        expectedSeq++;
                        count++;
                    }
                    if (rows.size() < VERIFY_PAGE) {
                        return done(new Verification(true, count, null, null, previous));
                    }
                    return verifyFrom(expectedSeq - 1, previous, count);
                });
    }

    private static Uni<Verification> done(Verification verification) {
        return Uni.createFrom().item(verification);
    }

    /**
     * The outcome of a verification.
     *
     * @param headHash the hash of the last entry checked: write it down elsewhere to detect truncation of the tail
     */
    public record Verification(boolean valid, long checked, Long firstInvalidSeq, String problem, String headHash) {
    }

    static String hash(String prevHash, long seq, Instant at, String actor, String action, String subjectId, String details) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {prevHash, Long.toString(seq), at.truncatedTo(ChronoUnit.MICROS).toString(),
                    actor, action, subjectId == null ? "" : subjectId, details}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String canonical(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details == null ? Map.of() : new TreeMap<>(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be plain values", e);
        }
    }
}
