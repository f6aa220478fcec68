-- The version of the custom segments: every create, change, delete or broken-marking adds one, in its transaction and
-- under an exclusive advisory lock; each evaluation takes the lock shared and compares the version with the one its
-- replica read, reading the segments again when they differ. So no replica evaluates with a catalog another replica
-- has changed (no spurious left, no deleted segment brought back). No subject in it.
CREATE TABLE segment_catalog (
    id       SMALLINT PRIMARY KEY CHECK (id = 1),
    version  BIGINT   NOT NULL
);
INSERT INTO segment_catalog (id, version) VALUES (1, 1);
