-- The messaging limit Meta last reported for the business portfolio (business_capability_update,
-- phone_number_quality_update): unique recipients per rolling 24 h, 0 = unlimited; null = the configured
-- sohbet.campaign.whatsapp.messaging-limit. Read by every claim with the shared rate, so a change applies at once on
-- every replica, without a restart; reported_at orders the reports (an older one arriving late changes nothing).
ALTER TABLE send_rate
    ADD COLUMN messaging_limit         INTEGER,
    ADD COLUMN messaging_limit_source  VARCHAR(64),
    ADD COLUMN messaging_limit_at      TIMESTAMPTZ;
