-- The preference page (docs/preference-page.md): a one-time, expiring link to a small public page where a person sees
-- and changes their consents. Only the SHA-256 of the link's token is stored (never the token), so whoever reads the
-- database cannot open anyone's page. The first open uses the link up and starts one short session: a random secret in
-- an HttpOnly, SameSite=Strict cookie, stored here as its SHA-256 too. Deleted by the retention job once expired and
-- with the person's erasure.
CREATE TABLE preference_link (
    id                 bigserial   PRIMARY KEY,
    token_hash         text        NOT NULL UNIQUE,
    subject_id         text        NOT NULL,
    language           text        NOT NULL CHECK (language IN ('TURKISH', 'ENGLISH')),
    issued_by          text        NOT NULL,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    opened_at          timestamptz,
    session_hash       text        UNIQUE,
    session_expires_at timestamptz,
    revoked_at         timestamptz
);
CREATE INDEX preference_link_subject ON preference_link (subject_id);
CREATE INDEX preference_link_expires ON preference_link (expires_at);
