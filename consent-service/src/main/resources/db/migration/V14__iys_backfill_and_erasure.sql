-- İYS backfill (README "İYS"): the marketing consents that were current before İYS was turned on for a channel are
-- checked with İYS once and queued (iys_record) when İYS lacks them. One row per channel: how far it got, so that a
-- restart resumes it; up_to is the newest ledger entry when it started (later entries are queued as they are made).
CREATE TABLE iys_backfill (
    channel     TEXT PRIMARY KEY,
    up_to       BIGINT      NOT NULL,
    after       BIGINT      NOT NULL DEFAULT 0,
    -- queued: an iys_record to upload; in_iys: İYS held the same status already; skipped: İYS would refuse it (reason)
    queued      BIGINT      NOT NULL DEFAULT 0,
    in_iys      BIGINT      NOT NULL DEFAULT 0,
    skipped     BIGINT      NOT NULL DEFAULT 0,
    started_by  TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- A RET owed to İYS for a person erased while İYS held (or was being sent) their ONAY: the law keeps İYS's record, and
-- the erasure is a withdrawal of consent (README "İYS: erasure"). No subject id: the number alone, sealed with a key of
-- its own wrapped by the master key (key_ref is the wrapping context), both nulled once İYS answered or gave up.
CREATE TABLE iys_erasure_ret (
    id              BIGSERIAL PRIMARY KEY,
    key_ref         TEXT        NOT NULL,
    master_key_id   TEXT,
    wrapped_key     TEXT,
    recipient       TEXT,
    type            TEXT        NOT NULL,
    consent_date    TIMESTAMPTZ NOT NULL,
    -- pending: to upload; accepted: in İYS (transaction_id); refused: İYS said no (reason); failed: gave up after retries
    state           TEXT        NOT NULL CHECK (state IN ('pending', 'accepted', 'refused', 'failed')),
    transaction_id  TEXT,
    reason          TEXT,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX iys_erasure_ret_due ON iys_erasure_ret (state, next_attempt_at);
