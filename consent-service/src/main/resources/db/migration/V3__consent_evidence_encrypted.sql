-- Evidence (IP address, user agent, wamid of the opt-in reply) is personal data: it is stored encrypted with the
-- subject's data key, so it needs more room than the clear text did.
ALTER TABLE consent_record ALTER COLUMN evidence TYPE TEXT;
