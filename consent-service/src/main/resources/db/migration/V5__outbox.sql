-- Transactional outbox: events written in the same transaction as the change they announce, published by the
-- relay (at least once, in id order per subject) and then marked.
CREATE TABLE outbox (
    id            BIGSERIAL     PRIMARY KEY,
    topic         VARCHAR(100)  NOT NULL,
    event_key     VARCHAR(100)  NOT NULL,
    event         TEXT          NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
