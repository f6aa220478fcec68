package io.sohbet.segment.testing;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;

/** Tests' direct access to {@code profile}: a bare profile of a subject, and whether a subject has one. */
public final class ProfileRows {

    private ProfileRows() {
    }

    /** Stores a profile of {@code subject} first and last seen now, without facts, in its own statement. */
    public static void insert(Pool pool, String subject) throws Throwable {
        var now = Instant.now().atOffset(ZoneOffset.UTC);
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO profile (subject_id, first_seen_at, last_seen_at) VALUES ($1, $2, $2)")
                .execute(Tuple.of(subject, now)));
    }

    /** The profile rows of {@code subject} (0 or 1). */
    public static long count(Pool pool, String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM profile WHERE subject_id = $1")
                .execute(Tuple.of(subject))).iterator().next().getLong(0);
    }
}
