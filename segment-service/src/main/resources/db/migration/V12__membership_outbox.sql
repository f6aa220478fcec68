-- Membership events waiting for the relay, one compact row per change: the segment, the subject, entered or left and
-- the time, from which the relay writes the segment.membership event (messaging/OutboxRelay; the same event as the one
-- the outbox held as text before, its times kept to the microsecond as PostgreSQL stores them). A first full run writes one per membership, millions of them: a
-- row here is about a fifth of an outbox row with the event's JSON (the subject three times, the envelope), and that
-- was half of the run's writing. The relay publishes them in id order, as the outbox, and deletes each batch once Kafka
-- acknowledged it. Membership events still in the outbox (written by the previous version) are published from there.
CREATE TABLE membership_outbox (
    id          BIGSERIAL    PRIMARY KEY,
    segment_id  VARCHAR(64)  NOT NULL,
    subject_id  VARCHAR(64)  NOT NULL,
    entered     BOOLEAN      NOT NULL,
    at          TIMESTAMPTZ  NOT NULL
);
