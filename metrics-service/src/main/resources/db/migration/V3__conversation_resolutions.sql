-- Explicit resolutions of conversations (POST /api/metrics/conversations/{subjectId}/resolve). A conversation
-- without one is resolved by inactivity when metrics are read.
CREATE TABLE conversation_resolution (
    id           BIGSERIAL   PRIMARY KEY,
    subject_id   VARCHAR(64) NOT NULL,
    resolved_at  TIMESTAMPTZ NOT NULL,
    resolved_by  VARCHAR(200) NOT NULL
);
CREATE INDEX conversation_resolution_subject ON conversation_resolution (subject_id, resolved_at);
CREATE INDEX message_state_outbound ON message_state (subject_id, sent_at) WHERE campaign_id IS NULL;
