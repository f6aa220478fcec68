-- One profile per subject: what segments are computed from. Pseudonymous: keyed by subject id only.
CREATE TABLE profile (
    subject_id     VARCHAR(64) PRIMARY KEY,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL
);

-- Events this service has consumed; written in the same transaction as their effect (idempotent consumers).
CREATE TABLE processed_event (
    event_id     VARCHAR(300) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);
