-- Everything metrics are computed from, stored as facts so that results do not depend on arrival order: a
-- message's timestamps only ever move to the earliest value seen (duplicates change nothing), and attribution
-- (campaign, variant, conversions, replies, opt-outs) is worked out when metrics are read.
CREATE INDEX message_state_subject_sent ON message_state (subject_id, sent_at);
CREATE INDEX message_state_read ON message_state (read_at) WHERE read_at IS NOT NULL;

-- Tracked-link clicks (link.click); every click counts, repeats too.
CREATE TABLE link_click (
    event_id     VARCHAR(300) PRIMARY KEY,
    subject_id   VARCHAR(64)  NOT NULL,
    campaign_id  VARCHAR(64),
    variant      VARCHAR(64),
    link_id      VARCHAR(100),
    target       VARCHAR(2048),
    clicked_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX link_click_subject ON link_click (subject_id, campaign_id);
CREATE INDEX link_click_campaign ON link_click (campaign_id, link_id);

-- Customers' inbound messages (wa.inbound): no content, only what metrics need. csat_score is the 1-5 answer a
-- survey reply carries (button/list id or title, or a thumbs reaction), when it is one.
CREATE TABLE inbound_message (
    wamid          VARCHAR(200) PRIMARY KEY,
    subject_id     VARCHAR(64)  NOT NULL,
    received_at    TIMESTAMPTZ  NOT NULL,
    message_type   VARCHAR(40)  NOT NULL,
    context_wamid  VARCHAR(200),
    csat_score     SMALLINT
);
CREATE INDEX inbound_message_subject ON inbound_message (subject_id, received_at);

-- Orders from the shop (commerce.event order.created / order.paid; order.cancelled marks them).
CREATE TABLE shop_order (
    order_id     VARCHAR(200) PRIMARY KEY,
    subject_id   VARCHAR(64)  NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    total        NUMERIC(14, 2),
    currency     VARCHAR(3),
    cancelled    BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX shop_order_subject ON shop_order (subject_id, occurred_at);

-- Marketing opt-outs (consent.change: marketing revoked).
CREATE TABLE opt_out (
    event_id     VARCHAR(300) PRIMARY KEY,
    subject_id   VARCHAR(64)  NOT NULL,
    opted_out_at TIMESTAMPTZ  NOT NULL,
    source       VARCHAR(40)
);
CREATE INDEX opt_out_subject ON opt_out (subject_id, opted_out_at);

-- Segment membership intervals (segment.membership), for metrics per segment at send time.
CREATE TABLE segment_membership (
    id          BIGSERIAL    PRIMARY KEY,
    segment_id  VARCHAR(100) NOT NULL,
    subject_id  VARCHAR(64)  NOT NULL,
    entered_at  TIMESTAMPTZ  NOT NULL,
    left_at     TIMESTAMPTZ
);
CREATE INDEX segment_membership_subject ON segment_membership (subject_id, segment_id);
CREATE INDEX segment_membership_segment ON segment_membership (segment_id);
