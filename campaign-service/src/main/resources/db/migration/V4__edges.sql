-- Planning is fenced: every claim of a campaign's planning takes the next generation, and a planner writes only while
-- its generation is the campaign's and the campaign is not planned yet (checked under the campaign row's lock in the
-- same transaction as the write), so a planner whose claim was taken over inserts nobody once sending has started.
ALTER TABLE campaign ADD COLUMN planning_generation BIGINT NOT NULL DEFAULT 0;
-- the decided A/B variant is given to the waiting rest in batches; set once none is left waiting
ALTER TABLE campaign ADD COLUMN rolled_out_at TIMESTAMPTZ;
UPDATE campaign SET rolled_out_at = winner_decided_at WHERE winner_decided_at IS NOT NULL;
-- why a campaign was paused by the service (a template Meta paused, disabled or re-categorised); null when a person did
ALTER TABLE campaign ADD COLUMN pause_reason VARCHAR(300);

-- the recipient's time zone as planning found it (from their number's country and area, libphonenumber), null when
-- unknown then; due times are planned in it
ALTER TABLE send_queue ADD COLUMN time_zone VARCHAR(64);

-- claims walk the due rows of each running campaign, never those of paused or still-planning ones
DROP INDEX send_queue_due;
CREATE INDEX send_queue_campaign_due ON send_queue (campaign_id, due_at) WHERE status IN ('queued', 'deferred');

-- When each customer last wrote to the business (wa.inbound): free-form messages go only inside the 24-hour
-- customer service window that opens. Rows older than 24 h are deleted by housekeeping.
CREATE TABLE customer_window (
    subject_id      VARCHAR(64) PRIMARY KEY,
    last_inbound_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_window_at ON customer_window (last_inbound_at);
