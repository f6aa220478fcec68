-- Keyword stems come from what customers wrote, so a reply no longer keeps them in clear: feedback.keywords holds
-- keyed hashes of its stems (HMAC-SHA256 with sohbet.metrics.feedback.keyword-key, 16 bytes, base64url). A stem is
-- written in clear only here, without any subject, once replies of keyword-min-subjects different subjects used it;
-- only such stems are ever shown.
CREATE TABLE feedback_keyword (
    keyword_hash VARCHAR(32) PRIMARY KEY,
    keyword      TEXT        NOT NULL
);
-- "how many subjects used this stem" when a reply arrives
CREATE INDEX feedback_keywords ON feedback USING GIN (keywords);
-- stems kept in clear before this version cannot be hashed here (the key is not in the database): they are dropped
UPDATE feedback SET keywords = '{}';
