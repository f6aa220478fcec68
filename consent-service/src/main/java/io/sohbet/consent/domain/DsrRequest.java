package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A data-subject request (access, erasure, rectification, objection) and its outcome. */
@Entity
@Table(name = "dsr_request")
public class DsrRequest extends PanacheEntityBase {

    public static final String RECEIVED = "received";
    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    @Id
    public String id;

    @Column(nullable = false)
    public String type;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    @Column(nullable = false)
    public String status;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    /** Where the request came from: {@code api} (a privacy officer) or {@code whatsapp} (the person, self-service). */
    @Column(nullable = false)
    public String source = "api";

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** JSON without personal data: what was done, per-service progress of an access request, failures. */
    public String detail;

    /** An access request's export, sealed with the subject's data key. */
    public String export;
}
