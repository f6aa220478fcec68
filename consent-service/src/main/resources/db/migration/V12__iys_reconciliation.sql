-- İYS reconciliation (README "İYS"): each run compares the ledger's current marketing state of every Turkish number on a
-- channel mirrored to İYS with İYS's record of it, and keeps the differences here until a privacy officer picks the
-- side that wins. Subject ids only: the numbers are in the identity vault and, sealed, in iys_record.
CREATE TABLE iys_difference (
    id            BIGSERIAL PRIMARY KEY,
    subject_id    TEXT        NOT NULL,
    channel       TEXT        NOT NULL,
    type          TEXT        NOT NULL,
    -- the current ledger entry compared, and its state: granted or revoked
    ledger_entry  BIGINT      NOT NULL REFERENCES consent_record (id) ON DELETE CASCADE,
    ours          TEXT        NOT NULL CHECK (ours IN ('granted', 'revoked')),
    -- İYS's status of the number, none when İYS holds no record, and the transaction id of that record
    iys           TEXT        NOT NULL CHECK (iys IN ('ONAY', 'RET', 'none')),
    iys_transaction_id TEXT,
    found_at      TIMESTAMPTZ NOT NULL,
    -- open: awaiting a privacy officer; applied: fixed in the chosen direction; superseded: a later run no longer saw it
    state         TEXT        NOT NULL CHECK (state IN ('open', 'applied', 'superseded')),
    direction     TEXT        CHECK (direction IN ('ours-to-iys', 'iys-to-ours')),
    applied_by    TEXT,
    applied_at    TIMESTAMPTZ
);
CREATE INDEX iys_difference_open ON iys_difference (state, id);
CREATE INDEX iys_difference_subject ON iys_difference (subject_id);
