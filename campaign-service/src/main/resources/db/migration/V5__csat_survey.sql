-- A campaign marked as a CSAT survey (its definition's csatSurvey): its campaign.message events carry the mark, so
-- metrics-service counts a bare score (a digit, stars, a thumb) replying to its messages. Kept beside the definition
-- so that republishing a message's event (a join from send_queue) carries the same mark as the first publication.
ALTER TABLE campaign ADD COLUMN csat_survey BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE campaign SET csat_survey = TRUE WHERE definition ->> 'csatSurvey' = 'true';
