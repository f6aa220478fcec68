-- Demographics from the shop's customer.upserted, opened in memory with the subject's key and kept minimal: gender as
-- given, birth year (for the age band, which moves with time) and city. Deleted with the profile on erasure.
ALTER TABLE profile
    ADD COLUMN gender      VARCHAR(20),
    ADD COLUMN birth_year  SMALLINT,
    ADD COLUMN city        VARCHAR(100);
