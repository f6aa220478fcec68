-- Identity vault: the only place where a subject's phone, name and e-mail are kept, each sealed with the subject's
-- data key (AES-256-GCM, subject id as associated data). Erasure deletes the row and the key.
CREATE TABLE identity (
    subject_id  VARCHAR(64)  PRIMARY KEY,
    phone       TEXT,
    name        TEXT,
    email       TEXT,
    source      VARCHAR(30)  NOT NULL,
    seen_at     TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

-- Data-subject requests. Kept after completion as proof; they hold no personal data (the subject id is a
-- pseudonym, and an access export is sealed with the subject's key, so erasure makes it unreadable).
CREATE TABLE dsr_request (
    id            VARCHAR(36)  PRIMARY KEY,
    type          VARCHAR(20)  NOT NULL,
    subject_id    VARCHAR(64)  NOT NULL,
    status        VARCHAR(20)  NOT NULL,
    requested_by  VARCHAR(200) NOT NULL,
    received_at   TIMESTAMPTZ  NOT NULL,
    due_at        TIMESTAMPTZ  NOT NULL,
    completed_at  TIMESTAMPTZ,
    detail        TEXT,
    export        TEXT
);
CREATE INDEX dsr_request_subject ON dsr_request (subject_id, received_at);
CREATE INDEX dsr_request_open ON dsr_request (status, received_at) WHERE status IN ('received', 'in-progress');

-- Tamper-evident audit log: each entry's hash covers its fields and the previous entry's hash. Appended under a
-- transaction-scoped advisory lock so that the chain stays linear.
CREATE TABLE audit_entry (
    seq         BIGINT       PRIMARY KEY,
    at          TIMESTAMPTZ  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    action      VARCHAR(60)  NOT NULL,
    subject_id  VARCHAR(64),
    details     TEXT         NOT NULL,
    prev_hash   CHAR(64)     NOT NULL,
    hash        CHAR(64)     NOT NULL
);
CREATE INDEX audit_entry_subject ON audit_entry (subject_id, seq);
