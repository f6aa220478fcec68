-- Erasure folding (service/ErasureFolding): an erased person's rows keep what they contribute to every figure, frozen at
-- the erasure, because what linked them (the subject id, message ids, order and event ids) is gone. A folded row is
-- read with these values; a live row (folded = FALSE, all of today's and tomorrow's rows) is attributed when read, as
-- before. Constant defaults: adding the columns rewrites no table.
ALTER TABLE message_state
    ADD COLUMN folded           BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN folded_clicked   BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN folded_converted BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN folded_opted_out BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN folded_replied   BOOLEAN NOT NULL DEFAULT FALSE,
    -- the segments the recipient was a member of when the message was sent (membership rows are deleted)
    ADD COLUMN folded_segments  TEXT[];
-- metrics per segment read folded messages apart from live ones: a small index of the folded rows only
CREATE INDEX message_state_folded ON message_state (campaign_id, variant) WHERE folded;

-- the campaign a survey answer or a reply was credited to (NULL: none), for CSAT and feedback per campaign
ALTER TABLE inbound_message
    ADD COLUMN folded               BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN credited_campaign_id VARCHAR(64);
ALTER TABLE feedback
    ADD COLUMN folded               BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN credited_campaign_id VARCHAR(64);
