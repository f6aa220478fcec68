-- Facts profiles are computed from, keyed by event id so that redeliveries change nothing.
CREATE TABLE interaction (
    event_id      VARCHAR(300) PRIMARY KEY,
    subject_id    VARCHAR(64)  NOT NULL,
    at            TIMESTAMPTZ  NOT NULL,
    kind          VARCHAR(20)  NOT NULL,   -- reply, read, click
    content       VARCHAR(20)             -- visual, text, quick: the kind of content engaged with, when known
);
CREATE INDEX interaction_subject ON interaction (subject_id, at);

-- Messages sent to subjects (campaign.message): the content kind that a later read engages with.
CREATE TABLE sent_message (
    wamid         VARCHAR(200) PRIMARY KEY,
    subject_id    VARCHAR(64)  NOT NULL,
    content       VARCHAR(20)  NOT NULL,
    sent_at       TIMESTAMPTZ  NOT NULL
);

CREATE TABLE shop_order (
    order_id      VARCHAR(200) PRIMARY KEY,
    subject_id    VARCHAR(64)  NOT NULL,
    at            TIMESTAMPTZ  NOT NULL,
    total         NUMERIC(14, 2),
    currency      VARCHAR(3),
    top_category  VARCHAR(100),
    cancelled     BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX shop_order_subject ON shop_order (subject_id, at);

-- The derived attributes of a profile, recomputed from the facts for one subject on each event and for everyone on
-- a schedule (windows expire as time passes).
ALTER TABLE profile
    ADD COLUMN computed_at        TIMESTAMPTZ,
    ADD COLUMN last_activity_at   TIMESTAMPTZ,
    ADD COLUMN interactions_7d    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN interactions_30d   INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN interactions_90d   INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN interactions_total INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN visual_90d         INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN text_90d           INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN quick_90d          INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN orders_30d         INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN orders_total       INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN revenue_30d        NUMERIC(14, 2) NOT NULL DEFAULT 0,
    ADD COLUMN revenue_total      NUMERIC(14, 2) NOT NULL DEFAULT 0,
    ADD COLUMN last_order_at      TIMESTAMPTZ,
    ADD COLUMN top_category       VARCHAR(100),
    ADD COLUMN rfm_recency        SMALLINT,
    ADD COLUMN rfm_frequency      SMALLINT,
    ADD COLUMN rfm_monetary       SMALLINT;

-- Segment definitions: built-in ones (kept in code, listed here once created) and custom rules.
CREATE TABLE segment (
    id           VARCHAR(64)  PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    description  VARCHAR(1000),
    rule         TEXT         NOT NULL,
    built_in     BOOLEAN      NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE segment_member (
    segment_id   VARCHAR(64)  NOT NULL,
    subject_id   VARCHAR(64)  NOT NULL,
    since        TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (segment_id, subject_id)
);
CREATE INDEX segment_member_subject ON segment_member (subject_id);

-- Segment sizes over time (one row per segment per evaluation run).
CREATE TABLE segment_size (
    segment_id   VARCHAR(64)  NOT NULL,
    at           TIMESTAMPTZ  NOT NULL,
    members      BIGINT       NOT NULL,
    PRIMARY KEY (segment_id, at)
);

-- Transactional outbox for segment.membership.
CREATE TABLE outbox (
    id            BIGSERIAL     PRIMARY KEY,
    topic         VARCHAR(100)  NOT NULL,
    event_key     VARCHAR(100)  NOT NULL,
    event         TEXT          NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
