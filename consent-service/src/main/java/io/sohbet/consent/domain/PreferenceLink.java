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
 * A link to the preference page: the SHA-256 of its token (never the token), whose it is, its language, until when it
 * works, and the one session its first open started (the SHA-256 of the session cookie's secret).
 */
@Entity
@Table(name = "preference_link")
public class PreferenceLink extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    /** {@code TURKISH} or {@code ENGLISH} (SelfServiceKeywords.Language). */
    @Column(nullable = false)
    public String language;

    /** Who asked for it: {@code whatsapp} (the person's keyword) or the privacy officer's user name. */
    @Column(name = "issued_by", nullable = false)
    public String issuedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "opened_at")
    public Instant openedAt;

    @Column(name = "session_hash")
    public String sessionHash;

    @Column(name = "session_expires_at")
    public Instant sessionExpiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
