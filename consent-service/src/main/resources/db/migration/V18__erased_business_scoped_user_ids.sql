-- The business-scoped user ids of erased people (README "Identifiers", erasure). A BSUID's keyed hash is also the
-- subject id a webhook derives for a sender known by that BSUID alone; once the person's links are deleted, Meta's
-- retries of their BSUID-only messages (up to 7 days) would derive that id and bring the person back as a new subject.
-- The erasure records each BSUID's keyed hash here, so the key vault treats that id as erased at the same moment: a late
-- event from before creates no key and is dropped, a message written after the erasure is a new beginning. Keyed hashes
-- only (HMAC-SHA256 under the pepper), no BSUID, no subject id: like the subject id in dsr_request, proof of the erasure.
CREATE TABLE erased_identifier (
    id_hash     TEXT        PRIMARY KEY,
    erased_at   TIMESTAMPTZ NOT NULL
);
