-- The dedupe records of wa.inbound events were kept with event ids built from the message's WhatsApp id, and a wamid
-- is base64 around the customer's number. webhook-service now publishes these events with the id's keyed hash
-- (io.sohbet.events.MessageIds); the key is neither in this database nor in this service, so the records holding a
-- clear id cannot be rewritten and are deleted. They only served to drop repeats: a repeat from Meta comes back with
-- the hashed id, which these rows could never match, and an old record read again from Kafka at most appends a second,
-- identical revocation.
DELETE FROM processed_event WHERE event_id LIKE 'wa.inbound:%' AND event_id NOT LIKE 'wa.inbound:mid\_%';
