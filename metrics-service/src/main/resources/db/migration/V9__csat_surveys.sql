-- CSAT counts only answers to a CSAT question (service/CsatAnswer). A campaign message asking it is marked
-- (campaign.message csatSurvey); a reply that reads as a score keeps it in csat_score, and csat_explicit when it counts
-- by itself: a tapped button or list row with the survey's id prefix (csat_1 … csat_5), or, on a folded reply, an
-- answer that counted when its person was erased (the message it answered is no longer linked). Any other score counts
-- only when the campaign message it is credited to is a survey.
ALTER TABLE message_state ADD COLUMN csat_survey BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inbound_message ADD COLUMN csat_explicit BOOLEAN NOT NULL DEFAULT FALSE;
-- Answers stored before this rule keep counting as they did: which were menu choices is not known any more (the reply
-- id was never stored), and figures already reported do not change.
UPDATE inbound_message SET csat_explicit = TRUE WHERE csat_score IS NOT NULL;
