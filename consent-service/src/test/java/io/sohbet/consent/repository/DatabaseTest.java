package io.sohbet.consent.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.ErasureLock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Database}'s unit of work in the Vert.x context, which every write of consent-service relies on: a nested
 * transaction joins the outer one, a failure rolls the whole back, nothing stays in the context afterwards, and a
 * transaction-scoped lock outside a transaction fails.
 */
@QuarkusTest
class DatabaseTest {

    private static final String RECORD = "INSERT INTO processed_event (event_id, processed_at) VALUES ($1, now())";
    private static final String RECORDED = "SELECT count(*) FROM processed_event WHERE event_id = $1";
    private static final String TRANSACTION = "SELECT txid_current()::text";

    @Inject
    Database database;

    @Inject
    ErasureLock lock;

    @Test
    void aNestedTransactionJoinsTheOuterOneAndNothingStaysInTheContextAfterwards() throws Throwable {
        String event = "database-test-" + UUID.randomUUID();
        List<Object> seen = VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> database.update(RECORD, event).chain(() -> database.first(TRANSACTION, row -> row.getString(0)))
                        .flatMap(outer -> database.inTransaction(() -> database.first(TRANSACTION, row -> row.getString(0)))
                                .map(inner -> List.<Object>of(outer, inner, database.inTransaction()))))
                .map(inside -> List.of(inside.get(0), inside.get(1), inside.get(2), database.inTransaction())));

        assertThat(seen.get(1)).as("the inner transaction is the outer one").isEqualTo(seen.get(0));
        assertThat(seen.get(2)).as("in a transaction inside").isEqualTo(true);
        assertThat(seen.get(3)).as("no transaction held once it ended").isEqualTo(false);
        assertThat(recorded(event)).isEqualTo(1);
    }

    @Test
    void aFailureInsideANestedTransactionRollsTheWholeBack() {
        String event = "database-test-" + UUID.randomUUID();
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> database.update(RECORD, event).chain(() -> database.inTransaction(
                        () -> Uni.createFrom().failure(new IllegalArgumentException("refused")))))))
                .hasMessageContaining("refused");
        assertThat(recorded(event)).isZero();
    }

    @Test
    void aTransactionScopedLockOutsideATransactionFails() {
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> lock.hold("subject-" + UUID.randomUUID())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs an open transaction");
        // inside one it is taken
        String subject = "subject-" + UUID.randomUUID();
        try {
            VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(() -> lock.hold(subject)));
        } catch (Throwable failure) {
            throw new AssertionError(failure);
        }
    }

    @Test
    void aTransactionNeedsADuplicatedContext() {
        assertThatThrownBy(() -> database.inTransaction(() -> database.update(RECORD, "never")).await().indefinitely())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("duplicated Vert.x context");
    }

    private long recorded(String event) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> database.count(RECORDED, event));
        } catch (Throwable failure) {
            throw new AssertionError(failure);
        }
    }
}
