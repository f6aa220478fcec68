-- Volume tiers (issue 22): Meta prices utility and authentication messages by the volume tier a business reached in a
-- market in the month; each band keeps its own rate ("telescopic": messages before a tier was reached keep the rate of
-- the band they were delivered in). Meta reports each move to a new tier in an account_update webhook
-- (VOLUME_BASED_PRICING_TIER_UPDATE, volume_tier_info{effective_month, pricing_category, region, tier,
-- tier_update_time}). Business facts, nobody's data.

-- Every reported move, one row per country of the reported region (MarketRegions): a redelivered report finds its row
-- (the primary key) and changes nothing; the tier in effect at an instant is the one reported last before it in its
-- month, whatever order the reports arrived in.
CREATE TABLE volume_tier (
    country          VARCHAR(2)   NOT NULL,
    category         VARCHAR(40)  NOT NULL,
    effective_month  VARCHAR(7)   NOT NULL,
    tier_update_time TIMESTAMPTZ  NOT NULL,
    tier             VARCHAR(40)  NOT NULL,
    region           VARCHAR(80)  NOT NULL,
    received_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (country, category, effective_month, tier_update_time)
);

-- A rate card price may be the rate of one volume tier (the tier as Meta writes it, e.g. 250001:2000000); '' is the
-- base rate, used without a known tier or without a price for it. One price per (country, category, tier, day).
ALTER TABLE rate_card ADD COLUMN tier VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE rate_card DROP CONSTRAINT rate_card_country_category_effective_from_key;
ALTER TABLE rate_card ADD CONSTRAINT rate_card_country_category_tier_effective_from_key
    UNIQUE (country, category, tier, effective_from);

-- A report of a region MarketRegions does not know (a grouped market not yet in sohbet.metrics.cost.tier-regions): kept
-- by its region, and moved to volume_tier, per country, at the first start that knows the region.
CREATE TABLE volume_tier_unmapped (
    region           VARCHAR(80)  NOT NULL,
    category         VARCHAR(40)  NOT NULL,
    effective_month  VARCHAR(7)   NOT NULL,
    tier_update_time TIMESTAMPTZ  NOT NULL,
    tier             VARCHAR(40)  NOT NULL,
    received_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (region, category, effective_month, tier_update_time)
);
