-- The retention job (service/SegmentRetention) deletes interactions, sent messages and orders older than their period,
-- a bounded batch at a time, oldest first: these indexes find each batch without reading the whole table.
CREATE INDEX interaction_at ON interaction (at);
CREATE INDEX sent_message_sent_at ON sent_message (sent_at);
CREATE INDEX shop_order_at ON shop_order (at);
