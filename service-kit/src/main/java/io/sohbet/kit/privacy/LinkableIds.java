package io.sohbet.kit.privacy;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The declared linkable ids of a subject's rows ({@link SubjectTable#linkableIds}: message-id hashes, event ids, order
 * ids), read before an erasure and looked for again after it, in the same transaction: an erasure that leaves any of
 * them anywhere in the table (deleted rows are gone; a fold must have replaced them) fails and is rolled back, so a
 * fold step that forgets a column cannot acknowledge an erasure that leaves a way back to the person. Values are
 * never logged.
 */
final class LinkableIds {

    /** The values one column held in the subject's rows. */
    record Column(SubjectTable table, String column, List<String> values) {
    }

    private LinkableIds() {
    }

    /** The subject's values of every declared linkable column. */
    static Uni<List<Column>> of(SqlConnection tx, List<SubjectTable> tables, String subject) {
        List<Column> empty = new ArrayList<>();
        for (SubjectTable table : tables) {
            for (String column : table.linkableIds()) {
                empty.add(new Column(table, column, List.of()));
            }
        }
        return Multi.createFrom().iterable(empty)
                .onItem().transformToUniAndConcatenate(c -> tx.preparedQuery("SELECT DISTINCT " + SubjectDataCheck.quoted(c.column())
                                + "::text AS id FROM " + SubjectDataCheck.quoted(c.table().name()) + " WHERE "
                                + SubjectDataCheck.quoted(c.table().subjectColumn()) + " = $1 AND "
                                + SubjectDataCheck.quoted(c.column()) + " IS NOT NULL").execute(Tuple.of(subject))
                        .map(rows -> {
                            List<String> values = new ArrayList<>();
                            for (Row row : rows) {
                                values.add(row.getString("id"));
                            }
                            return new Column(c.table(), c.column(), values);
                        }))
                .collect().asList();
    }

    /** Fails if any of {@code before}'s values is still in its column. */
    static Uni<Void> checkGone(SqlConnection tx, List<Column> before, String service) {
        return Multi.createFrom().iterable(before).filter(c -> !c.values().isEmpty())
                .onItem().transformToUniAndConcatenate(c -> tx.preparedQuery("SELECT count(*) AS left_over FROM "
                                + SubjectDataCheck.quoted(c.table().name()) + " WHERE " + SubjectDataCheck.quoted(c.column())
                                + "::text = ANY($1::text[])").execute(Tuple.of(c.values().toArray(String[]::new)))
                        .map(rows -> {
                            long left = rows.iterator().next().getLong("left_over");
                            if (left > 0) {
                                throw new IllegalStateException(service + ": the erasure left " + left + " of the subject's ids in "
                                        + c.table().name() + "." + c.column());
                            }
                            return left;
                        }))
                .collect().last().replaceWithVoid();
    }
}
