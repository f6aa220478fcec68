package io.sohbet.metrics.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The membership statements are valid SQL as written. Outside a transaction the reactive client hides a statement that
 * PostgreSQL cannot type: it re-prepares it with types guessed from the Java values (PostgreSQL still logs an ERROR
 * every time). Inside a transaction, or prepared on its own, it does not, so these run the statements that way.
 */
@QuarkusTest
class EngagementFactsTest {

    @Inject
    Pool pool;

    @Test
    void membershipStatementsPrepareAndRunInATransaction() throws Throwable {
        String segment = "seg-tx-" + Long.toHexString(System.nanoTime());
        String subject = "txsubject" + Long.toHexString(System.nanoTime());
        OffsetDateTime entered = OffsetDateTime.of(2026, 7, 1, 9, 0, 0, 0, ZoneOffset.UTC);
        OffsetDateTime left = entered.plusDays(3);

        VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> tx.preparedQuery(EngagementFacts.ENTER)
                .execute(Tuple.of(segment, subject, entered))
                .chain(() -> tx.preparedQuery(EngagementFacts.ENTER).execute(Tuple.of(segment, subject, entered)))
                .chain(() -> tx.preparedQuery(EngagementFacts.LEAVE).execute(Tuple.of(segment, subject, left)))
                .chain(() -> tx.preparedQuery(EngagementFacts.ENTER).execute(Tuple.of(segment, subject, entered)))));

        // and each is accepted when prepared without parameter types, as the client first sends it
        VertxContextSupport.subscribeAndAwait(() -> pool.withConnection(conn -> conn.prepare(EngagementFacts.ENTER)
                .chain(ps -> ps.close()).chain(() -> conn.prepare(EngagementFacts.LEAVE)).chain(ps -> ps.close())));

        List<String> stored = new ArrayList<>();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT subject_id, entered_at, left_at FROM segment_membership "
                        + "WHERE segment_id = $1").execute(Tuple.of(segment))
                .invoke(rows -> rows.forEach(r -> stored.add(r.getString("subject_id") + " "
                        + r.getOffsetDateTime("entered_at").toInstant() + " " + r.getOffsetDateTime("left_at").toInstant()))));
        // entered twice and once more after leaving, the same event each time: one interval, closed
        assertThat(stored).containsExactly(subject + " " + entered.toInstant() + " " + left.toInstant());
    }
}
