package io.sohbet.metrics.testing;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** Tests' direct access to {@code message_state}: a sent message of a subject, and how many rows a subject has. */
public final class MessageStateRows {

    private MessageStateRows() {
    }

    /** Stores a message sent now to {@code subject} (no campaign yet), in its own statement; returns its wamid. */
    public static String insert(Pool pool, String subject) throws Throwable {
        String wamid = "wamid." + UUID.randomUUID();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO message_state (wamid, subject_id, sent_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(wamid, subject, Instant.now().atOffset(ZoneOffset.UTC))));
        return wamid;
    }

    /** The rows of {@code subject}. */
    public static long count(Pool pool, String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM message_state WHERE subject_id = $1")
                .execute(Tuple.of(subject))).iterator().next().getLong(0);
    }
}
