package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * One entry of the keyed audit chain (rules in {@code AuditChain}), a row of the table {@code audit_entry}. Details
 * hold pseudonymous ids, keyed hashes of subjects and counts, never personal data. The service's database role may
 * insert and read entries, nothing else.
 */
public class AuditEntry {

    public Long seq;

    public Instant at;

    public String actor;

    public String action;

    public String subjectId;

    public String details;

    /** The id of the audit key whose HMAC {@link #hash} is; null for a legacy (unkeyed) entry from before V10. */
    public String keyId;

    public String prevHash;

    public String hash;

    /** The entry a row of {@code audit_entry} holds (every column). */
    public static AuditEntry from(Row row) {
        AuditEntry entry = new AuditEntry();
        entry.seq = row.getLong("seq");
        entry.at = Database.instant(row, "at");
        entry.actor = row.getString("actor");
        entry.action = row.getString("action");
        entry.subjectId = row.getString("subject_id");
        entry.details = row.getString("details");
        entry.keyId = row.getString("key_id");
        entry.prevHash = row.getString("prev_hash");
        entry.hash = row.getString("hash");
        return entry;
    }
}
