package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A self-service answer waiting to go out: the Cloud API body (recipient included), sealed with a data key of its own
 * wrapped by the master key; deleted once sent or given up.
 */
@Entity
@Table(name = "self_service_reply")
public class SelfServiceReply extends PanacheEntityBase {

    /** An answer to a keyword or a tap. */
    public static final String ANSWER = "answer";
    /** The notice that an erasure is done, due once every service acknowledged it. */
    public static final String ERASURE_DONE = "erasure-done";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    @Column(nullable = false)
    public String kind;

    @Column(name = "request_id")
    public String requestId;

    @Column(nullable = false)
    public String sealed;

    @Column(name = "data_key", nullable = false)
    public String dataKey;

    @Column(name = "master_key_id", nullable = false)
    public String masterKeyId;

    @Column(nullable = false)
    public boolean due;

    @Column(name = "window_ends_at", nullable = false)
    public Instant windowEndsAt;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
