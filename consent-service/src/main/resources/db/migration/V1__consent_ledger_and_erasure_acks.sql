-- Append-only consent ledger: every grant and revocation with its proof. The current state is derived (latest
-- row per subject, purpose and channel). Keyed by the pseudonymous subject id; no phone numbers here.
CREATE TABLE consent_record (
    id              BIGSERIAL    PRIMARY KEY,
    subject_id      VARCHAR(64)  NOT NULL,
    purpose         VARCHAR(20)  NOT NULL,
    channel         VARCHAR(20)  NOT NULL,
    state           VARCHAR(10)  NOT NULL,
    source          VARCHAR(30)  NOT NULL,
    notice_id       VARCHAR(100),
    notice_version  VARCHAR(40),
    notice_sha256   CHAR(64),
    evidence        VARCHAR(500),
    recorded_by     VARCHAR(200) NOT NULL,
    captured_at     TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX consent_record_subject ON consent_record (subject_id, purpose, channel, id);

-- Acknowledgements of erasure requests, one per request and service.
CREATE TABLE erasure_ack (
    request_id     VARCHAR(64)  NOT NULL,
    service        VARCHAR(60)  NOT NULL,
    subject_id     VARCHAR(64)  NOT NULL,
    rows_affected  BIGINT       NOT NULL,
    completed_at   TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (request_id, service)
);
