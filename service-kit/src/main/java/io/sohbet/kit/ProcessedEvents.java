package io.sohbet.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The dedupe record of an idempotent consumer: table {@code processed_event(event_id, processed_at)}, written in the
 * same transaction as the event's effect. {@link #firstTime} inserts the event's id unless it is there: true the
 * first time, false for a redelivery (which then has no effect). A concurrent second delivery waits for the first
 * one's transaction and then sees the id.
 */
public final class ProcessedEvents {

    static final String RECORD = "INSERT INTO processed_event (event_id, processed_at) VALUES ($1, now()) ON CONFLICT DO NOTHING";

    private ProcessedEvents() {
    }

    /** Records {@code eventId} on {@code tx} (a connection in a transaction); true unless it was recorded before. */
    public static Uni<Boolean> firstTime(SqlClient tx, String eventId) {
        return tx.preparedQuery(RECORD).execute(Tuple.of(eventId)).map(inserted -> inserted.rowCount() == 1);
    }
}
