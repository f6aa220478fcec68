package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.PreferenceLink;
import io.sohbet.consent.repository.Database;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Links to the preference page (docs/preference-page.md). A link carries a token of 256 random bits (SecureRandom);
 * only its SHA-256 is stored, and a token is found by its hash, so nothing compares secrets character by character and
 * the database alone opens nothing. A link works once: its first open, before it expires
 * ({@code sohbet.consent.preferences.link-lifetime}), uses it up and starts a session, another random secret whose
 * SHA-256 is stored, sent to the browser as an HttpOnly, SameSite=Strict cookie and valid for
 * {@code session-lifetime} (never beyond the link's expiry). The forms of the page carry a CSRF token derived from the
 * session secret (HMAC-SHA256), checked on every POST. Issuing and opening are audited, without the token.
 */
@ApplicationScoped
public class PreferenceLinks {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

    private final ConsentConfig.Preferences config;
    private final KeyVault keys;
    private final AuditLog audit;
    private final ErasureLock lock;
    private final Database database;

    public PreferenceLinks(ConsentConfig config, KeyVault keys, AuditLog audit, ErasureLock lock, Database database) {
        this.config = config.preferences();
        this.keys = keys;
        this.audit = audit;
        this.lock = lock;
        this.database = database;
    }

    /** A link just issued: its id, the URL to send (holding the token), and until when it works. */
    public record Issued(long id, URI url, Instant expiresAt) {
    }

    /** A session started by a link's first open: the link, and the secret for the cookie (returned once, never stored). */
    public record Opened(PreferenceLink link, String sessionSecret) {
    }

    /** Why a link does not open: unknown (404), or expired, used or revoked (410). */
    public enum Refusal {
        UNKNOWN, GONE
    }

    /** A link that does not open; the page says as little as the status. */
    public static final class LinkRefusedException extends RuntimeException {

        private final Refusal refusal;

        public LinkRefusedException(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** {@code issued_by} of a link the person asked for themselves (the WhatsApp keyword, from their own number). */
    public static final String BY_THE_PERSON = "whatsapp";

    /**
     * Whether the link's page may only withdraw: a link issued by anyone but the person (an officer through the admin
     * route) is held by whoever issued it, and a grant through it would be recorded as the person's own.
     */
    public static boolean withdrawOnly(PreferenceLink link) {
        return !BY_THE_PERSON.equals(link.issuedBy);
    }

    /** Whether links can be issued (the public base URL is configured). */
    public boolean enabled() {
        return config.baseUrl().isPresent();
    }

    /**
     * Issues a link for a person known here (who has a data key): {@link UnknownSubjectException} otherwise. Runs in
     * the caller's transaction, which it makes hold the person's erasure lock (an erased person gets none).
     */
    public Uni<Issued> issue(String subject, SelfServiceKeywords.Language language, String issuedBy) {
        URI base = config.baseUrl().orElseThrow(() -> new IllegalStateException(
                "no preference page: set sohbet.consent.preferences.base-url (SOHBET_PREFERENCES_BASE_URL)"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // under the person's erasure lock: an erasure running at the same time either finished (no key: none issued)
        // or waits for this transaction and then deletes the link with the rest
        return lock.holdAndCheck(subject, now).chain(erased -> erased ? Uni.createFrom().item(java.util.Map.<String, byte[]>of())
                : keys.find(java.util.Set.of(subject))).flatMap(found -> {
            if (!found.containsKey(subject)) {
                return Uni.createFrom().failure(new UnknownSubjectException());
            }
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String token = TOKEN.encodeToString(secret);
            PreferenceLink link = new PreferenceLink();
            link.tokenHash = sha256(token);
            link.subjectId = subject;
            link.language = language.name();
            link.issuedBy = issuedBy;
            link.createdAt = now;
            link.expiresAt = now.plus(config.linkLifetime());
            // a new link replaces the person's earlier ones not opened yet (an open session runs on until it ends)
            return database.update("UPDATE preference_link SET revoked_at = $1 WHERE subject_id = $2 "
                            + "AND opened_at IS NULL AND revoked_at IS NULL", now, subject)
                    .flatMap(revoked -> persist(link)
                    .call(saved -> audit.append(issuedBy, "preference-link.issued", subject,
                            Map.of("link", saved.id, "expiresAt", saved.expiresAt.toString(), "revokedEarlier", revoked))))
                    .map(saved -> new Issued(saved.id, URI.create(base.toString().replaceAll("/+$", "") + "/preferences/" + token),
                            saved.expiresAt));
        });
    }

    /** Inserts a new link and sets its generated {@code id}. */
    private Uni<PreferenceLink> persist(PreferenceLink link) {
        return database.first("INSERT INTO preference_link (token_hash, subject_id, language, issued_by, created_at, "
                        + "expires_at, opened_at, session_hash, session_expires_at, revoked_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id", row -> row.getLong("id"),
                link.tokenHash, link.subjectId, link.language, link.issuedBy, link.createdAt, link.expiresAt,
                link.openedAt, link.sessionHash, link.sessionExpiresAt, link.revokedAt).map(id -> {
                    link.id = id;
                    return link;
                });
    }

    /**
     * Opens a link: the first open before it expires uses it up and starts the session; anything else fails with
     * {@link LinkRefusedException}. In its own transaction, the row locked, so two opens at once start one session.
     */
    public Uni<Opened> open(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{20,100}")) {
            return Uni.createFrom().failure(new LinkRefusedException(Refusal.UNKNOWN));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return database.inTransaction(() -> database.first(
                "SELECT * FROM preference_link WHERE token_hash = $1 FOR UPDATE", PreferenceLink::from, sha256(token))
                .flatMap(link -> {
                    if (link == null) {
                        return Uni.createFrom().failure(new LinkRefusedException(Refusal.UNKNOWN));
                    }
                    if (link.openedAt != null || link.revokedAt != null || !now.isBefore(link.expiresAt)) {
                        return Uni.createFrom().failure(new LinkRefusedException(Refusal.GONE));
                    }
                    byte[] secret = new byte[32];
                    RANDOM.nextBytes(secret);
                    String session = TOKEN.encodeToString(secret);
                    link.openedAt = now;
                    link.sessionHash = sha256(session);
                    Instant sessionEnds = now.plus(config.sessionLifetime());
                    link.sessionExpiresAt = sessionEnds.isBefore(link.expiresAt) ? sessionEnds : link.expiresAt;
                    // the audit log is kept for good and holds no personal data in clear: the link only (the user
                    // agent is evidence of a change, encrypted with the person's key, PreferencePage#change)
                    return database.update("UPDATE preference_link SET opened_at = $1, session_hash = $2, "
                                    + "session_expires_at = $3 WHERE id = $4", link.openedAt, link.sessionHash,
                                    link.sessionExpiresAt, link.id)
                            .chain(() -> audit.append("preference-page", "preference-link.opened", link.subjectId,
                                    Map.of("link", link.id)))
                            .replaceWith(new Opened(link, session));
                }));
    }

    /**
     * What opening the link would answer, without using it (a {@code GET} or {@code HEAD} from a link checker or a
     * preview must not burn it): the link when it would open, else a {@link LinkRefusedException}.
     */
    public Uni<PreferenceLink> check(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{20,100}")) {
            return Uni.createFrom().failure(new LinkRefusedException(Refusal.UNKNOWN));
        }
        Instant now = Instant.now();
        return database.withConnection(() -> database.first("SELECT * FROM preference_link WHERE token_hash = $1",
                        PreferenceLink::from, sha256(token)))
                .flatMap(link -> link == null ? Uni.createFrom().failure(new LinkRefusedException(Refusal.UNKNOWN))
                        : link.openedAt != null || link.revokedAt != null || !now.isBefore(link.expiresAt)
                        ? Uni.createFrom().failure(new LinkRefusedException(Refusal.GONE)) : Uni.createFrom().item(link));
    }

    /** The link whose session this cookie secret is, while the session lasts; null otherwise. */
    public Uni<PreferenceLink> session(String sessionSecret) {
        if (sessionSecret == null || !sessionSecret.matches("[A-Za-z0-9_-]{20,100}")) {
            return Uni.createFrom().nullItem();
        }
        Instant now = Instant.now();
        return database.withConnection(() -> database.first("SELECT * FROM preference_link WHERE session_hash = $1",
                        PreferenceLink::from, sha256(sessionSecret)))
                .map(link -> link == null || link.revokedAt != null || link.sessionExpiresAt == null
                        || !now.isBefore(link.sessionExpiresAt) ? null : link);
    }

    /** The CSRF token of a session: HMAC-SHA256 of a fixed label under the session secret. */
    public static String csrf(String sessionSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return TOKEN.encodeToString(mac.doFinal("sohbet-preference-page-csrf".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a form's CSRF token is the session's (compared in constant time). */
    public static boolean csrfMatches(String sessionSecret, String given) {
        return given != null && MessageDigest.isEqual(csrf(sessionSecret).getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** Lowercase hex SHA-256 of a token or session secret: how they are stored and looked up. */
    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
