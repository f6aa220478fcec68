-- İYS (Türkiye's registry of commercial-message consents, README "İYS"): each marketing ledger entry of a Turkish number
-- on a channel mirrored to İYS gets one row here: what is (or was) sent, and what İYS answered. The ledger stays
-- append-only; this is its İYS state. The recipient is sealed with the subject's data key like the identity vault, so
-- an erasure (which deletes the entry, cascading here, and the key) leaves nothing readable.
CREATE TABLE iys_record (
    ledger_entry    BIGINT PRIMARY KEY REFERENCES consent_record (id) ON DELETE CASCADE,
    subject_id      TEXT        NOT NULL,
    channel         TEXT        NOT NULL,
    recipient       TEXT,
    recipient_type  TEXT        NOT NULL,
    type            TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('ONAY', 'RET')),
    source          TEXT        NOT NULL,
    consent_date    TIMESTAMPTZ NOT NULL,
    -- the end of the third business day after consent_date (GMT+3, Turkish holidays): İYS refuses it afterwards
    deadline        TIMESTAMPTZ NOT NULL,
    -- pending: to upload; sending: claimed by an upload; sent: in a batch request whose result is awaited; accepted: in
    -- İYS (transaction_id); refused: İYS said no (reason = its code and message); failed: gave up after retries;
    -- skipped: nothing to send (reason); received: a change made in İYS itself, entered in the ledger (transaction_id)
    state           TEXT        NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'accepted', 'refused', 'failed',
                                                          'skipped', 'received')),
    request_id      TEXT,
    item_index      INT,
    transaction_id  TEXT,
    reason          TEXT,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX iys_record_due ON iys_record (state, next_attempt_at);
CREATE INDEX iys_record_request ON iys_record (request_id, item_index) WHERE request_id IS NOT NULL;
CREATE INDEX iys_record_subject ON iys_record (subject_id, channel, consent_date DESC);
-- a citizen's change read from İYS has its effect once, even when two replicas read the same page of the feed
CREATE UNIQUE INDEX iys_record_received ON iys_record (transaction_id, channel) WHERE state = 'received';

-- Where each İYS change feed was last read up to (its cursor "after"), and when.
CREATE TABLE iys_cursor (
    feed      TEXT PRIMARY KEY,
    after     TEXT,
    polled_at TIMESTAMPTZ NOT NULL
);
