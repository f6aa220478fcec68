-- One person, many identifiers (README "Identifiers"): WhatsApp names a person by phone (wa_id), business-scoped user id
-- (BSUID), parent BSUID and username, not always all at once. Each identifier seen is linked here to the subject it
-- belongs to, so that a webhook carrying only one of them resolves to the same person. Looked up by the keyed hash
-- (HMAC-SHA256 with the suite's pepper, one domain per kind: a phone's is the subject id it would derive), so no clear
-- identifier travels for a lookup; the identifier itself is sealed with the subject's data key (crypto-shredding).
-- An erasure deletes every row of the subject and every row whose hash is the subject id.
CREATE TABLE subject_identifier (
    -- base64url(HMAC-SHA256(pepper, E.164 phone | 'bsuid:' id | 'parent-bsuid:' id | 'username:' lower-case name))
    id_hash     TEXT        PRIMARY KEY,
    kind        TEXT        NOT NULL CHECK (kind IN ('phone', 'bsuid', 'parent-bsuid', 'username')),
    subject_id  TEXT        NOT NULL,
    -- the identifier, sealed with the subject's data key (FieldCipher)
    value       TEXT        NOT NULL,
    -- when the webhook that linked it happened: a later sighting moves the link, an older one changes nothing
    seen_at     TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX subject_identifier_subject ON subject_identifier (subject_id, kind, seen_at DESC);
