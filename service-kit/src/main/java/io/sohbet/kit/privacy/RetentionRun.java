package io.sohbet.kit.privacy;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The frame of a service's retention run (metrics-, segment-service): batches, each in a transaction of its own that
 * first tries an advisory lock, so that one replica works at a time (a replica that does not get it ends its run);
 * each batch gets the run's id and its own number as the run id of its {@code privacy.destruction} event
 * ({@link DestructionOutbox}), so that consent-service records every batch once. Batches follow while the last one
 * was full.
 */
public final class RetentionRun {

    private RetentionRun() {
    }

    /**
     * Runs {@code batch} (the transaction's connection, the batch's run id) while {@code full} says the last batch was;
     * a batch whose lock another replica holds answers {@code skipped}, which must not be full. The batches' results.
     */
    public static <T> Uni<List<T>> run(Pool database, long lock, String runId, BiFunction<SqlConnection, String, Uni<T>> batch,
            T skipped, Predicate<T> full) {
        int[] number = {0};
        return Multi.createBy().repeating().uni(() -> {
                    String id = runId + ":" + ++number[0];
                    return database.withTransaction(tx -> tx.query("SELECT pg_try_advisory_xact_lock(" + lock + ") AS taken").execute()
                            .flatMap(taken -> taken.iterator().next().getBoolean("taken") ? batch.apply(tx, id) : Uni.createFrom().item(skipped)));
                })
                .whilst(full).collect().asList();
    }
}
