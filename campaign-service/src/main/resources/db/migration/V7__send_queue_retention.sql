-- Retention of the send queue (service/SendQueueRetention): the per-recipient rows of a campaign that ended
-- (completed or cancelled) more than sohbet.campaign.retention.send-queue ago are deleted; what the campaign's
-- progress and planned send times report is kept here first, as counts about no one: recipients per progress state,
-- hold-out or not, and the quarter hour (UTC) they were due in (time zones are offset by whole quarter hours, so the
-- hour in any zone is still exact).
CREATE TABLE send_tally (
    campaign_id  VARCHAR(64) NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    -- the state progress reports (Campaigns.STATES: sent split into delivered and read)
    state        VARCHAR(24) NOT NULL,
    holdout      BOOLEAN     NOT NULL,
    due_quarter  TIMESTAMPTZ NOT NULL,
    -- how many rows were deleted with this key
    counted      BIGINT      NOT NULL,
    PRIMARY KEY (campaign_id, state, holdout, due_quarter)
);

-- finished campaigns by when they ended: the retention job's candidates
CREATE INDEX campaign_finished ON campaign (finished_at) WHERE status IN ('completed', 'cancelled');

-- Transactional outbox (kit OutboxDrain, messaging/OutboxRelay): the retention job writes what each transaction
-- deleted as a privacy.destruction event in that transaction, and the relay publishes it to consent-service's
-- destruction records and deletes it once Kafka acknowledged it. Keyed by the service's name; counts only.
CREATE TABLE outbox (
    id            BIGSERIAL     PRIMARY KEY,
    topic         VARCHAR(100)  NOT NULL,
    event_key     VARCHAR(100)  NOT NULL,
    event         TEXT          NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL
);
