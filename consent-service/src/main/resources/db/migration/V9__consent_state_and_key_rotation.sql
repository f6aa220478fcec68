-- A purpose's current consent is the entry captured last (ties: the one recorded last), no longer the highest id: an
-- import of older consents or a delayed event is history and changes nothing. Contact resolution and the retention
-- rules ask for that entry per subject, purpose and channel; this index answers them in order.
CREATE INDEX consent_record_current ON consent_record (subject_id, purpose, channel, captured_at DESC, id DESC);
DROP INDEX consent_record_subject;

-- A shop event dated in the future set a contact's seen_at ahead of the clock, and every later sighting (and
-- rectification) then counted as older and changed nothing. Future times are now refused (webhook-service) or taken as
-- now (consent-service); the ones already stored are brought back to now.
UPDATE identity SET seen_at = now() WHERE seen_at > now();
