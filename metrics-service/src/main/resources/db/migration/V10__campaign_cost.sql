-- Cost and return of campaigns. Each message keeps the pricing object of its statuses (Meta sends it on "sent" and on
-- one of delivered/read) and its recipient's region (ISO 3166 alpha-2, from webhook-service: the rate card's key; it
-- identifies nobody). A message is priced when metrics are read, with the rate in effect on the day it was delivered:
-- one row per message, so a redelivered status never counts twice. Constant defaults: no table rewrite.
ALTER TABLE message_state
    ADD COLUMN pricing_category  VARCHAR(40),
    ADD COLUMN pricing_type      VARCHAR(40),
    ADD COLUMN pricing_model     VARCHAR(10),
    ADD COLUMN billable          BOOLEAN,
    ADD COLUMN recipient_country VARCHAR(2),
    -- TRY revenue of the orders credited to the message, frozen at an erasure with the other folded facts (V7)
    ADD COLUMN folded_revenue    NUMERIC(14, 2);

-- What Meta charges per delivered message: country (ISO alpha-2, or '*' for every country without a rate of its own)
-- x pricing category x the day the price takes effect (business time zone), in the card's currency.
CREATE TABLE rate_card (
    id              BIGSERIAL     PRIMARY KEY,
    country         VARCHAR(2)    NOT NULL,
    category        VARCHAR(40)   NOT NULL,
    effective_from  DATE          NOT NULL,
    price           NUMERIC(14, 6) NOT NULL CHECK (price >= 0),
    currency        VARCHAR(3)    NOT NULL,
    UNIQUE (country, category, effective_from)
);
