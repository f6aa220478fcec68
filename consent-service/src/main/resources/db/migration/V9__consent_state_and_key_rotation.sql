-- A purpose's current consent is the entry captured last (ties: the one recorded last), no longer the highest id: an
-- import of older consents or a delayed event is history and changes nothing. Contact resolution and the retention
-- rules ask for that entry per subject, purpose and channel; this index answers them in order.
CREATE INDEX consent_record_current ON consent_record (subject_id, purpose, channel, captured_at DESC, id DESC);
DROP INDEX consent_record_subject;
