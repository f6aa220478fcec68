package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * A link to the preference page, a row of {@code preference_link}: the SHA-256 of its token (never the token), whose it
 * is, its language, until when it works, and the one session its first open started (the SHA-256 of the session
 * cookie's secret).
 */
public class PreferenceLink {

    public Long id;

    public String tokenHash;

    public String subjectId;

    /** {@code TURKISH} or {@code ENGLISH} (SelfServiceKeywords.Language). */
    public String language;

    /** Who asked for it: {@code whatsapp} (the person's keyword) or the privacy officer's user name. */
    public String issuedBy;

    public Instant createdAt;

    public Instant expiresAt;

    public Instant openedAt;

    public String sessionHash;

    public Instant sessionExpiresAt;

    public Instant revokedAt;

    /** The link a row of {@code preference_link} holds (every column, by its name). */
    public static PreferenceLink from(Row row) {
        PreferenceLink link = new PreferenceLink();
        link.id = row.getLong("id");
        link.tokenHash = row.getString("token_hash");
        link.subjectId = row.getString("subject_id");
        link.language = row.getString("language");
        link.issuedBy = row.getString("issued_by");
        link.createdAt = Database.instant(row, "created_at");
        link.expiresAt = Database.instant(row, "expires_at");
        link.openedAt = Database.instant(row, "opened_at");
        link.sessionHash = row.getString("session_hash");
        link.sessionExpiresAt = Database.instant(row, "session_expires_at");
        link.revokedAt = Database.instant(row, "revoked_at");
        return link;
    }
}
