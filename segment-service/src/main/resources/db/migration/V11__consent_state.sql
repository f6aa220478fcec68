-- consent.change as segment-service last heard it (consent-service is the only writer; service/ConsentStates): the
-- current marketing and profiling consent of each subject per channel, with the capture time and ledger entry id of
-- the change, so that an older change arriving late never overwrites a newer one. The preview's reachable count joins
-- it on the primary key (subject_id, 'marketing', 'whatsapp'); a profiling withdrawal stops profiling the person.
CREATE TABLE consent_state (
    subject_id  VARCHAR(64)  NOT NULL,
    purpose     VARCHAR(16)  NOT NULL,
    channel     VARCHAR(16)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    changed_at  TIMESTAMPTZ  NOT NULL,
    entry_id    BIGINT       NOT NULL,
    PRIMARY KEY (subject_id, purpose, channel)
);
