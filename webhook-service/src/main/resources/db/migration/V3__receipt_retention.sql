-- Retention of the shop-webhook receipts (service/ReceiptRetention): receipts received longer than
-- sohbet.webhook.retention.commerce-receipts ago are deleted, oldest first.
CREATE INDEX commerce_receipt_received ON commerce_receipt (received_at);

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
