-- Campaigns with their definition, the per-recipient send queue, the shared send rate and the messaging-tier window.
-- V1's tables never held data in a release; they are replaced.
DROP TABLE send_queue;
DROP TABLE campaign;

CREATE TABLE campaign (
    id                  VARCHAR(64)  PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    -- draft, scheduled, running, paused, completed, cancelled
    status              VARCHAR(20)  NOT NULL,
    -- the validated request (segments, variants, messages, schedule, caps); marketing copy, no personal data
    definition          JSONB        NOT NULL,
    created_by          VARCHAR(200),
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL,
    start_at            TIMESTAMPTZ,
    -- planning (the audience snapshot) is claimed by one replica; a claim older than the planning timeout is retaken
    planning_started_at TIMESTAMPTZ,
    planned_at          TIMESTAMPTZ,
    audience            INT,
    -- A/B test phase: when it ends, the winner (or the fallback) and why
    test_ends_at        TIMESTAMPTZ,
    winner              VARCHAR(64),
    winner_decided_at   TIMESTAMPTZ,
    winner_reason       VARCHAR(300),
    finished_at         TIMESTAMPTZ
);
CREATE INDEX campaign_status ON campaign (status);

-- One row per recipient and campaign. The unique key is what makes "at most one message per recipient and campaign"
-- hold: a row is claimed (status sending) in a committed transaction before the Cloud API is called, and a row that
-- was sending when its worker died is never sent again (it becomes unconfirmed).
CREATE TABLE send_queue (
    id           BIGSERIAL    PRIMARY KEY,
    campaign_id  VARCHAR(64)  NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    subject_id   VARCHAR(64)  NOT NULL,
    variant      VARCHAR(64),
    -- all (no A/B test phase), test, rest (waits for the winner), holdout (control group, never sent)
    phase        VARCHAR(10)  NOT NULL,
    -- waiting, queued, deferred, sending, sent, unconfirmed, failed, skipped-no-consent, skipped-cap, held-out, cancelled
    status       VARCHAR(24)  NOT NULL,
    due_at       TIMESTAMPTZ  NOT NULL,
    attempts     SMALLINT     NOT NULL DEFAULT 0,
    claimed_at   TIMESTAMPTZ,
    wamid        VARCHAR(200),
    message_type VARCHAR(30),
    sent_at      TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    read_at      TIMESTAMPTZ,
    failed_at    TIMESTAMPTZ,
    error_code   INT,
    error_title  VARCHAR(300),
    published    BOOLEAN      NOT NULL DEFAULT FALSE,
    UNIQUE (campaign_id, subject_id)
);
CREATE INDEX send_queue_due ON send_queue (due_at) WHERE status IN ('queued', 'deferred');
CREATE INDEX send_queue_sending ON send_queue (claimed_at) WHERE status = 'sending';
CREATE INDEX send_queue_subject_claimed ON send_queue (subject_id, claimed_at) WHERE claimed_at IS NOT NULL;
CREATE INDEX send_queue_unpublished ON send_queue (sent_at) WHERE wamid IS NOT NULL AND NOT published;
CREATE UNIQUE INDEX send_queue_wamid ON send_queue (wamid) WHERE wamid IS NOT NULL;

-- The send rate of a business phone number, shared by every replica: claims reserve consecutive send slots
-- (virtual scheduling), so the combined rate is the configured one however many workers there are. slowdown < 1
-- after Meta's throughput error 130429, recovering step by step.
CREATE TABLE send_rate (
    phone_number_id VARCHAR(64)      PRIMARY KEY,
    next_slot       TIMESTAMPTZ      NOT NULL,
    slowdown        DOUBLE PRECISION NOT NULL DEFAULT 1,
    slowed_at       TIMESTAMPTZ
);

-- Unique recipients of the last 24 hours (Meta's messaging tier limit counts them per rolling 24 h).
CREATE TABLE recipient_window (
    subject_id   VARCHAR(64) PRIMARY KEY,
    last_sent_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX recipient_window_sent ON recipient_window (last_sent_at);
