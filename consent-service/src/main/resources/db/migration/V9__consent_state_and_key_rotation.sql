-- A purpose's current consent is the entry captured last (ties: the one recorded last), no longer the highest id: an
-- import of older consents or a delayed event is history and changes nothing. Contact resolution and the retention
-- rules ask for that entry per subject, purpose and channel; this index answers them in order.
CREATE INDEX consent_record_current ON consent_record (subject_id, purpose, channel, captured_at DESC, id DESC);
DROP INDEX consent_record_subject;

-- The background re-wrap of data keys after a master-key rotation walks the keys of one old master key at a time in
-- subject order, and the data-key gauge counts keys per master key.
CREATE INDEX subject_key_master ON subject_key (master_key_id, subject_id);

-- A shop event dated in the future set a contact's seen_at ahead of the clock, and every later sighting (and
-- rectification) then counted as older and changed nothing. Future times are now refused (webhook-service) or taken as
-- now (consent-service); the ones already stored are brought back to now.
UPDATE identity SET seen_at = now() WHERE seen_at > now();
