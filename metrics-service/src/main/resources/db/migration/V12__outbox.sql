-- Transactional outbox (kit OutboxDrain, messaging/OutboxRelay): the retention job (service/MetricsRetention) writes
-- what each run folded as a privacy.destruction event in the transaction that folds, and the relay publishes it to
-- consent-service's destruction records and deletes it once Kafka acknowledged it. Keyed by the service's name; the
-- events hold counts only, no subject ids.
CREATE TABLE outbox (
    id            BIGSERIAL     PRIMARY KEY,
    topic         VARCHAR(100)  NOT NULL,
    event_key     VARCHAR(100)  NOT NULL,
    event         TEXT          NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL
);
