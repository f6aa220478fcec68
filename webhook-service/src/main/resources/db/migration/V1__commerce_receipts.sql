-- Shop webhooks already accepted, by the shop's own event id: a retry with the same body is answered without
-- publishing again; a different body under a used id is a conflict. No personal data here.
CREATE TABLE commerce_receipt (
    shop_event_id VARCHAR(200) PRIMARY KEY,
    body_sha256   CHAR(64)     NOT NULL,
    event_type    VARCHAR(40)  NOT NULL,
    received_at   TIMESTAMPTZ  NOT NULL
);

