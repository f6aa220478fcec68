package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One entry of the append-only consent ledger: a grant or revocation with its proof. */
@Entity
@Table(name = "consent_record")
public class ConsentRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    @Column(nullable = false)
    public String purpose;

    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public String source;

    @Column(name = "notice_id")
    public String noticeId;

    @Column(name = "notice_version")
    public String noticeVersion;

    @Column(name = "notice_sha256")
    public String noticeSha256;

    public String evidence;

    @Column(name = "recorded_by", nullable = false)
    public String recordedBy;

    @Column(name = "captured_at", nullable = false)
    public Instant capturedAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
