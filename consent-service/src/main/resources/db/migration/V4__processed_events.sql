-- Events this service has consumed (wa.inbound, wa.preference); written in the same transaction as their effect.
CREATE TABLE processed_event (
    event_id     VARCHAR(300) PRIMARY KEY,
    processed_at TIMESTAMPTZ  NOT NULL
);
