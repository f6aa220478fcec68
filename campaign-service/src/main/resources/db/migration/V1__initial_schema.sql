-- Campaigns and their durable send queue; workers claim due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE campaign (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    status      VARCHAR(20)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE send_queue (
    id           BIGSERIAL    PRIMARY KEY,
    campaign_id  VARCHAR(64)  NOT NULL REFERENCES campaign (id),
    subject_id   VARCHAR(64)  NOT NULL,
    variant      VARCHAR(64),
    status       VARCHAR(20)  NOT NULL,
    due_at       TIMESTAMPTZ  NOT NULL,
    UNIQUE (campaign_id, subject_id)
);
CREATE INDEX send_queue_due ON send_queue (status, due_at);
CREATE INDEX send_queue_subject ON send_queue (subject_id);

-- Events this service has consumed; written in the same transaction as their effect (idempotent consumers).
CREATE TABLE processed_event (
    event_id     VARCHAR(300) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);
