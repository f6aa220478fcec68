package io.sohbet.campaign;

import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Rows written straight to the database, for tests of what reads or deletes them. */
public final class TestRows {

    private TestRows() {
    }

    /** A finished campaign (never claimed) with one sent message to each subject. */
    public static void sentTo(Pool pool, String campaignId, String... subjects) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO campaign (id, name, status, definition, "
                        + "created_at, updated_at) VALUES ($1, 'test rows', 'completed', '{}'::jsonb, now(), now()) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(campaignId))
                .chain(() -> pool.preparedQuery("INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at, "
                        + "claimed_at, sent_at, wamid, published) SELECT $1, s, 'a', 'all', 'sent', now(), now(), now(), 'wamid.' || $1 || '.' || s, true "
                        + "FROM unnest($2::text[]) AS s").execute(Tuple.of(campaignId, subjects)))
                .chain(() -> pool.preparedQuery("INSERT INTO recipient_window (subject_id, last_sent_at) SELECT s, now() "
                        + "FROM unnest($1::text[]) AS s ON CONFLICT DO NOTHING").execute(Tuple.of((Object) subjects))));
    }
}
