-- One row per business-sent message (wamid): its furthest state, and the campaign it belongs to once known.
CREATE TABLE message_state (
    wamid         VARCHAR(200) PRIMARY KEY,
    subject_id    VARCHAR(64)  NOT NULL,
    campaign_id   VARCHAR(64),
    variant       VARCHAR(64),
    message_type  VARCHAR(40),
    sent_at       TIMESTAMPTZ,
    delivered_at  TIMESTAMPTZ,
    read_at       TIMESTAMPTZ,
    failed_at     TIMESTAMPTZ,
    error_code    INTEGER
);
CREATE INDEX message_state_subject ON message_state (subject_id);
CREATE INDEX message_state_campaign ON message_state (campaign_id, variant);

-- Events this service has consumed; written in the same transaction as their effect (idempotent consumers).
CREATE TABLE processed_event (
    event_id     VARCHAR(300) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);
