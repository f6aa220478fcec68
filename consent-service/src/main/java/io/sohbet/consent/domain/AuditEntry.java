package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One entry of the hash-chained audit log. Details hold pseudonymous ids and counts, never personal data. */
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

    @Column(name = "prev_hash", nullable = false)
    public String prevHash;

    @Column(nullable = false)
    public String hash;
}
