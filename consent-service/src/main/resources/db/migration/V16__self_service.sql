-- Self-service privacy over WhatsApp (docs/self-service.md): a customer writes a keyword, consent-service answers.

-- Each customer message that was a keyword or an erasure confirmation tap, handled once: the id of its wa.inbound event
-- (which names the keyed hash of the wamid, never the wamid), so a redelivered event answers nothing and files nothing
-- twice. Deleted with the person's erasure and after sohbet.consent.retention.processed-events.
CREATE TABLE self_service_message (
    event_id    text PRIMARY KEY,
    subject_id  text NOT NULL,
    command     text NOT NULL,
    outcome     text NOT NULL,
    received_at timestamptz NOT NULL,
    handled_at  timestamptz NOT NULL
);
CREATE INDEX self_service_message_subject ON self_service_message (subject_id);
CREATE INDEX self_service_message_handled ON self_service_message (handled_at);

-- The erasure confirmations offered: the random nonce of the two reply buttons, whose they are and until when. A tap
-- is believed only from the person it was offered to, before it expires, once.
CREATE TABLE self_service_confirmation (
    nonce      text PRIMARY KEY,
    subject_id text NOT NULL,
    language   text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX self_service_confirmation_subject ON self_service_confirmation (subject_id);

-- Answers waiting to go out (written in the transaction that handled the message, sent by SelfServiceReplies, deleted
-- once sent). The recipient and the message are sealed with a key of the row's own, wrapped by the master key: an
-- erasure destroys the subject's key at once, and its "done" notice must still be sent when every service has
-- acknowledged (request_id; due only then). Nothing of the person remains once the row is deleted.
CREATE TABLE self_service_reply (
    id              bigserial PRIMARY KEY,
    subject_id      text NOT NULL,
    kind            text NOT NULL,
    request_id      text,
    sealed          text NOT NULL,
    data_key        text NOT NULL,
    master_key_id   text NOT NULL,
    due             boolean NOT NULL,
    window_ends_at  timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL
);
CREATE INDEX self_service_reply_due ON self_service_reply (next_attempt_at) WHERE due;
CREATE INDEX self_service_reply_subject ON self_service_reply (subject_id);
CREATE UNIQUE INDEX self_service_reply_request ON self_service_reply (request_id) WHERE request_id IS NOT NULL;

-- Where a data-subject request came from: 'api' (a privacy officer, DsrResource) or 'whatsapp' (the person).
ALTER TABLE dsr_request ADD COLUMN source text NOT NULL DEFAULT 'api';
