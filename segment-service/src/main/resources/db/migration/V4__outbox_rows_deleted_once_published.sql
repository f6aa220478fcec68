-- The outbox keeps only what is still to be published: the relay deletes each batch once Kafka acknowledged it, in
-- the transaction that claimed it. Rows published before this version (subject ids and membership history, kept
-- until now) go; the index of unpublished rows has nothing left to select (the relay reads the primary key in order).
-- published_at is neither written nor read any more. It stays, nullable, for one release: a replica of the previous
-- version still running during a rolling update selects and marks with it (the rows it marks are published once
-- more by the new relay and deleted; consumers drop the repeat by event id). A later migration drops it.
DELETE FROM outbox WHERE published_at IS NOT NULL;
DROP INDEX IF EXISTS outbox_unpublished;
