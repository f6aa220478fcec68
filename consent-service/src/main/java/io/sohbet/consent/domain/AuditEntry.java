package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One entry of the keyed audit chain (rules in {@code AuditChain}). Details hold pseudonymous ids, keyed hashes of
 * subjects and counts, never personal data. The service's database role may insert and read entries, nothing else.
 */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {

    @Id
    public Long seq;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String action;

    @Column(name = "subject_id")
    public String subjectId;

    @Column(nullable = false)
    public String details;

    /** The id of the audit key whose HMAC {@link #hash} is; null for a legacy (unkeyed) entry from before V10. */
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "prev_hash", nullable = false)
    public String prevHash;

    @Column(nullable = false)
    public String hash;
}
