package io.sohbet.metrics.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.stream.Collectors;

/**
 * metrics-service's erasure step until erased people's rows are folded into aggregates ({@code ErasureFolding}):
 * without changing past metrics, the keyword stems of the subject's feedback are dropped and, in every table with a
 * {@code subject_id} column, the subject id is replaced by one random token that nothing links to the person (counts,
 * unique recipients and attributions stay as they were). Runs in the erasure's transaction; the rows it re-keyed.
 */
@ApplicationScoped
public class SubjectAnonymisation {

    public Uni<Long> fold(SqlConnection tx, String subject) {
        String token = "erased-" + UUID.randomUUID().toString().replace("-", "");
        return tx.preparedQuery("UPDATE feedback SET keywords = '{}' WHERE subject_id = $1").execute(Tuple.of(subject))
                .chain(() -> tx.query("SELECT CAST(table_name AS text) AS name FROM information_schema.columns "
                        + "WHERE table_schema = current_schema() AND column_name = 'subject_id' ORDER BY 1").execute())
                .flatMap(tables -> Multi.createFrom().iterable(tables).map(table -> table.getString("name"))
                        .onItem().transformToUniAndConcatenate(table -> tx.preparedQuery("UPDATE \""
                                + table.replace("\"", "") + "\" SET subject_id = $2 WHERE subject_id = $1")
                                .execute(Tuple.of(subject, token)))
                        .collect().with(Collectors.summingLong(rows -> (long) rows.rowCount())));
    }
}
