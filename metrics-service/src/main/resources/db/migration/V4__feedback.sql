-- What open-ended replies say, without their words: sentiment, urgency, keyword stems and themes. The text itself is
-- never stored here (it stays sealed in the event log).
CREATE TABLE feedback (
    wamid        VARCHAR(200) PRIMARY KEY,
    subject_id   VARCHAR(64)  NOT NULL,
    received_at  TIMESTAMPTZ  NOT NULL,
    sentiment    VARCHAR(10)  NOT NULL,
    score        SMALLINT     NOT NULL,
    urgent       BOOLEAN      NOT NULL,
    keywords     TEXT[]       NOT NULL,
    themes       TEXT[]       NOT NULL
);
CREATE INDEX feedback_received ON feedback (received_at);
CREATE INDEX feedback_subject ON feedback (subject_id);
