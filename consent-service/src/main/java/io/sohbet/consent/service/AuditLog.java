package io.sohbet.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.AuditEntry;
import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident audit log: a chain of entries, each keyed with an HMAC over the previous entry's hash and its own
 * fields ({@link AuditChain}), under a key that is not in the database. Entries are appended inside the caller's
 * transaction, under a transaction-scoped advisory lock, so the chain stays linear with any number of replicas and an
 * entry exists exactly when the change it records was committed. Reads of personal data are appended in a transaction
 * of their own before the data is handed out ({@link #appendRead}); entries that hand out many subjects name them by
 * keyed hashes ({@code details.subjects}), so that the entries naming a subject can be found without listing subject ids.
 */
@ApplicationScoped
public class AuditLog {

    public static final long LOCK = 0x5068626574L;
    private static final int PAGE = 1000;
    private static final String COLUMNS = "seq, at, actor, action, subject_id, details, key_id, prev_hash, hash";
    private static final String INSERT = "INSERT INTO audit_entry (" + COLUMNS
            + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final Database database;
    /** For the reads, outside the caller's transaction. */
    private final Pool pool;
    private final AuditKeys keys;

    public AuditLog(Database database, AuditKeys keys) {
        this.database = database;
        this.pool = database.pool();
        this.keys = keys;
    }

    /** Appends an entry; call inside the transaction of the change it records. */
    public Uni<AuditEntry> append(String actor, String action, String subjectId, Map<String, ?> details) {
        return appendCanonical(actor, action, subjectId, canonical(details));
    }

    /**
     * Records that {@code caller} was handed personal data, in a transaction of its own; the data must not leave
     * before this succeeded. {@code subjectsNamed} (the subjects handed out besides {@code subjectId}) are kept as
     * keyed hashes in {@code details.subjects}; the caller's OIDC client id as {@code details.client}.
     */
    public Uni<AuditEntry> appendRead(Caller caller, String action, String subjectId, Collection<String> subjectsNamed,
            Map<String, ?> details) {
        Map<String, Object> all = new TreeMap<>(details);
        if (caller.client() != null) {
            all.put("client", caller.client());
        }
        if (!subjectsNamed.isEmpty()) {
            all.put("subjects", keys.subjectRefs(keys.activeId(), subjectsNamed));
        }
        return database.inTransaction(() -> append(caller.name(), action, subjectId, all));
    }

    /**
     * After V10, while the newest entry is a legacy (unkeyed) one: appends a keyed entry, whose HMAC covers the hash of
     * the last legacy entry and so pins every legacy entry. Call inside a transaction; once is enough.
     */
    public Uni<Void> pinLegacyEntries(String actor) {
        return newestUnderLock().flatMap(last -> last == null || last.keyId != null ? Uni.createFrom().voidItem()
                : append(actor, "audit.legacy-entries-pinned", null, Map.of("legacyEntries", last.seq))
                        .replaceWithVoid());
    }

    /** An entry to append: who did what, about whom, with which details. */
    public record Entry(String actor, String action, String subjectId, Map<String, ?> details) {
    }

    /**
     * Appends {@code entries} in their order, each linked to the one before, under one hold of the chain's lock and
     * one read of the newest entry (one batch of inserts); call inside the transaction of the changes they record.
     */
    public Uni<List<AuditEntry>> appendAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> details = entries.stream().map(e -> canonical(e.details())).toList();
        return newestUnderLock().flatMap(newest -> {
            List<AuditEntry> linked = new ArrayList<>(entries.size());
            List<Tuple> rows = new ArrayList<>(entries.size());
            AuditEntry previous = newest;
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                previous = linked(previous, e.actor(), e.action(), e.subjectId(), details.get(i));
                linked.add(previous);
                rows.add(Database.tuple(insertParameters(previous)));
            }
            return database.batch(INSERT, rows).replaceWith(linked);
        });
    }

    private Uni<AuditEntry> appendCanonical(String actor, String action, String subjectId, String detailJson) {
        return newestUnderLock().flatMap(newest -> {
            AuditEntry entry = linked(newest, actor, action, subjectId, detailJson);
            return database.update(INSERT, insertParameters(entry)).replaceWith(entry);
        });
    }

    /** Takes the chain's lock (until the transaction ends) and reads the newest entry; null when the chain is empty. */
    private Uni<AuditEntry> newestUnderLock() {
        return database.inOpenTransaction("an audit entry", () -> database.count(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(" + LOCK + ")) AS locked"))
                .chain(() -> database.first("SELECT " + COLUMNS + " FROM audit_entry ORDER BY seq DESC LIMIT 1",
                        AuditEntry::from));
    }

    /**
     * The parameters of {@link #INSERT} for {@code entry}: {@code at} (microseconds, as {@code timestamptz}) and
     * {@code details} (into a {@code text} column) exactly as {@link #linked} hashed them.
     */
    private static Object[] insertParameters(AuditEntry entry) {
        return new Object[] {entry.seq, entry.at, entry.actor, entry.action, entry.subjectId, entry.details, entry.keyId,
                entry.prevHash, entry.hash};
    }

    /** The entry that follows {@code previous} (null: the chain's first), keyed with the active key. */
    private AuditEntry linked(AuditEntry previous, String actor, String action, String subjectId, String detailJson) {
        AuditEntry entry = new AuditEntry();
        entry.seq = previous == null ? 1 : previous.seq + 1;
        entry.prevHash = previous == null ? AuditChain.GENESIS : previous.hash;
        entry.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        entry.actor = actor;
        entry.action = action;
        entry.subjectId = subjectId;
        entry.details = detailJson;
        entry.keyId = keys.activeId();
        entry.hash = AuditChain.keyedHash(keys, entry.keyId, entry.prevHash, entry.seq, entry.at, actor, action, subjectId,
                detailJson);
        return entry;
    }

    /**
     * Entries, newest first, before a sequence number (for paging); with a subject, those about it and those that
     * name its keyed hash under any known key (who was handed its contact details, and when).
     */
    public Uni<List<AuditEntry>> list(String subjectId, Long before, int limit) {
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (subjectId != null) {
            params.add(subjectId);
            params.add(keys.subjectRefsUnderEveryKey(subjectId).toArray(new String[0]));
            where.add("(subject_id = $1 OR ((details)::jsonb -> 'subjects') ?| $2)");
        }
        if (before != null) {
            params.add(before);
            where.add("seq < $" + params.size());
        }
        params.add(limit);
        String sql = "SELECT " + COLUMNS + " FROM audit_entry" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY seq DESC LIMIT $" + params.size();
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(AuditLog::entries);
    }

    /** Every entry about the subject or naming it, oldest first (for its access export). */
    public Uni<List<AuditEntry>> naming(String subjectId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM audit_entry WHERE subject_id = $1 OR "
                        + "((details)::jsonb -> 'subjects') ?| $2 ORDER BY seq")
                .execute(Tuple.of(subjectId, keys.subjectRefsUnderEveryKey(subjectId).toArray(new String[0])))
                .map(AuditLog::entries);
    }

    /** The newest entry, or null when there is none. */
    public Uni<AuditChain.Link> newest() {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM audit_entry ORDER BY seq DESC LIMIT 1").execute()
                .map(rows -> rows.size() == 0 ? null : link(rows.iterator().next()));
    }

    /** The legacy boundary V10 marked (none when its row is gone: then no unkeyed entry is accepted). */
    public Uni<AuditChain.Boundary> boundary() {
        return pool.preparedQuery("SELECT last_seq, last_hash FROM audit_legacy_boundary").execute()
                .map(rows -> rows.size() == 0 ? new AuditChain.Boundary(0, AuditChain.GENESIS)
                        : new AuditChain.Boundary(rows.iterator().next().getLong("last_seq"),
                                rows.iterator().next().getString("last_hash")));
    }

    /**
     * Walks the entries after {@code afterSeq} (whose hash must be {@code afterHash}) to the newest; 0 and
     * {@link AuditChain#GENESIS} walk the whole chain. The entry {@code afterSeq} itself must still hold {@code afterHash}.
     */
    public Uni<AuditChain.Walk> walk(long afterSeq, String afterHash) {
        return boundary().flatMap(boundary -> {
            AuditChain.Walk walk = new AuditChain.Walk(keys, boundary, afterSeq, afterHash);
            if (afterSeq == 0) {
                return walkPages(walk);
            }
            return pool.preparedQuery("SELECT hash FROM audit_entry WHERE seq = $1").execute(Tuple.of(afterSeq))
                    .flatMap(rows -> {
                        if (rows.size() == 0 || !afterHash.equals(rows.iterator().next().getString("hash"))) {
                            walk.reject(afterSeq, rows.size() == 0 ? "entry " + afterSeq + " is missing"
                                    : "the entry was changed after it was written");
                            return Uni.createFrom().item(walk);
                        }
                        return walkPages(walk);
                    });
        });
    }

    private Uni<AuditChain.Walk> walkPages(AuditChain.Walk walk) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM audit_entry WHERE seq > $1 ORDER BY seq LIMIT $2")
                .execute(Tuple.of(walk.lastSeq(), PAGE))
                .flatMap(rows -> {
                    for (Row row : rows) {
                        if (!walk.accept(link(row))) {
                            return Uni.createFrom().item(walk);
                        }
                    }
                    if (rows.size() < PAGE) {
                        walk.finish();
                        return Uni.createFrom().item(walk);
                    }
                    return walkPages(walk);
                });
    }

    private static List<AuditEntry> entries(RowSet<Row> rows) {
        List<AuditEntry> out = new ArrayList<>();
        for (Row row : rows) {
            out.add(AuditEntry.from(row));
        }
        return out;
    }

    private static AuditChain.Link link(Row row) {
        return new AuditChain.Link(row.getLong("seq"), row.getOffsetDateTime("at").toInstant(), row.getString("actor"),
                row.getString("action"), row.getString("subject_id"), row.getString("details"), row.getString("key_id"),
                row.getString("prev_hash"), row.getString("hash"));
    }

    private String canonical(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details == null ? Map.of() : new TreeMap<>(details));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details must be plain values", e);
        }
    }
}
