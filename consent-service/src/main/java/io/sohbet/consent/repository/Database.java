package io.sohbet.consent.repository;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * consent-service's access to its database over the reactive PostgreSQL client, with the transaction of the work in
 * progress held in the Vert.x duplicated context (one per HTTP request, Kafka record or scheduled run), the way
 * Hibernate Reactive held its session before (issue 23: Hibernate ORM and Reactive were ~5,700 of the service's
 * classes and ~45 MB of its resident memory). {@link #inTransaction} opens a transaction, or joins the one the context
 * holds, so that a method can be called on its own or from inside another's transaction; the statements
 * ({@link #query}, {@link #update}, {@link #list}, ...) run on the context's connection, or on the pool (each a
 * transaction of its own) when there is none. Parameters are numbered {@code $1, $2, ...}; an {@link Instant} is sent as
 * a {@code timestamptz} (UTC). As with Hibernate's session, a context runs one unit of work at a time, as one chain: a
 * unit started while another runs on the same context (a {@code Uni.combine} of two transactions) is taken for a nested
 * one and joins it, or fails; never start two at once on one context.
 */
@ApplicationScoped
public class Database {

    private static final String HELD = Database.class.getName() + ".connection";

    private final Pool pool;

    public Database(Pool pool) {
        this.pool = pool;
    }

    /** The connection of the work in progress and whether it is in a transaction. */
    private static final class Held {
        final SqlConnection connection;
        boolean inTransaction;

        Held(SqlConnection connection) {
            this.connection = connection;
        }
    }

    /**
     * Runs {@code work} in a transaction: the context's, when it holds one; otherwise a new one, committed when
     * {@code work} succeeds and rolled back when it fails. Call on a duplicated Vert.x context (an endpoint, a
     * consumer, a scheduled method): {@link IllegalStateException} on any other thread.
     */
    public <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Held held = held(true);
            if (held == null) {
                return onNewConnection(connection -> inTransactionOn(connection, work));
            }
            return held.inTransaction ? work.get() : inTransactionOn(held, work);
        });
    }

    /**
     * Runs {@code work} with one connection for all its statements (no transaction: each statement commits on its
     * own), the context's when it holds one. For reads that should see one connection's view, and for work that opens
     * transactions of its own inside.
     */
    public <T> Uni<T> withConnection(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> held(true) != null ? work.get() : onNewConnection(held -> work.get()));
    }

    /**
     * The context's connection; null when it holds none or, unless {@code required}, when not on a duplicated context
     * (whose locals are the work's own: a root context's are shared by everything on its event loop).
     */
    private static Held held(boolean required) {
        if (!VertxContext.isOnDuplicatedContext()) {
            if (required) {
                throw new IllegalStateException("a transaction needs a duplicated Vert.x context (an endpoint, a consumer, "
                        + "a scheduled method, VertxContextSupport in a test)");
            }
            return null;
        }
        return Vertx.currentContext().getLocal(HELD);
    }

    /**
     * Runs {@code work} on a connection of the pool held in the (duplicated) context until it ends, on whatever thread
     * it ends. Should another unit have put its connection there meanwhile (two started at once), this one fails
     * rather than replace it.
     */
    private <T> Uni<T> onNewConnection(Function<Held, Uni<T>> work) {
        Context context = Vertx.currentContext();
        return pool.withConnection(connection -> {
            if (context.getLocal(HELD) != null) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "two units of work at once on one Vert.x context: chain them, or run each on a context of its own"));
            }
            Held held = new Held(connection);
            context.putLocal(HELD, held);
            return Uni.createFrom().deferred(() -> work.apply(held)).eventually(() -> {
                if (context.getLocal(HELD) == held) {
                    context.removeLocal(HELD);
                }
            });
        });
    }

    private static <T> Uni<T> inTransactionOn(Held held, Supplier<Uni<T>> work) {
        return held.connection.begin().flatMap(transaction -> {
            held.inTransaction = true;
            return Uni.createFrom().<T>deferred(work::get).onItemOrFailure().transformToUni((item, failure) -> {
                held.inTransaction = false;
                return failure == null ? transaction.commit().replaceWith(item) : rolledBack(transaction, failure);
            });
        });
    }

    private static <T> Uni<T> rolledBack(Transaction transaction, Throwable failure) {
        return transaction.rollback().onFailure().recoverWithNull().chain(() -> Uni.createFrom().failure(failure));
    }

    /** True when the context holds a transaction. */
    public boolean inTransaction() {
        Held held = held(false);
        return held != null && held.inTransaction;
    }

    /**
     * Runs {@code work} in the context's transaction, which must be open: for statements that mean nothing outside one
     * (a transaction-scoped advisory lock would be released at once). {@link IllegalStateException} otherwise, naming
     * {@code what}.
     */
    public <T> Uni<T> inOpenTransaction(String what, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> inTransaction() ? work.get()
                : Uni.createFrom().failure(new IllegalStateException(what + " needs an open transaction")));
    }

    /** Where a statement runs: the context's connection, or the pool. */
    public SqlClient client() {
        Held held = held(false);
        return held == null ? pool : held.connection;
    }

    /** The pool itself, outside the context's transaction: for work that must commit on its own. */
    public Pool pool() {
        return pool;
    }

    /** Runs {@code sql} with {@code parameters}; the rows it returned. */
    public Uni<RowSet<Row>> query(String sql, Object... parameters) {
        return client().preparedQuery(sql).execute(tuple(parameters));
    }

    /** Runs {@code sql} (an INSERT, UPDATE or DELETE) with {@code parameters}; how many rows it changed. */
    public Uni<Integer> update(String sql, Object... parameters) {
        return query(sql, parameters).map(RowSet::rowCount);
    }

    /** Runs {@code sql} once per tuple of {@code batch} (nothing when empty). */
    public Uni<Void> batch(String sql, List<Tuple> batch) {
        return batch.isEmpty() ? Uni.createFrom().voidItem() : client().preparedQuery(sql).executeBatch(batch).replaceWithVoid();
    }

    /** The rows of {@code sql}, each mapped by {@code mapper}, in their order. */
    public <T> Uni<List<T>> list(String sql, Function<Row, T> mapper, Object... parameters) {
        return query(sql, parameters).map(rows -> {
            List<T> mapped = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                mapped.add(mapper.apply(row));
            }
            return mapped;
        });
    }

    /** The first row of {@code sql} mapped by {@code mapper}; null when it returned none. */
    public <T> Uni<T> first(String sql, Function<Row, T> mapper, Object... parameters) {
        return query(sql, parameters).map(rows -> {
            var iterator = rows.iterator();
            return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
        });
    }

    /** The first column of the first row of {@code sql} as a number (a count); 0 when it returned no row or null. */
    public Uni<Long> count(String sql, Object... parameters) {
        return first(sql, row -> row.getLong(0), parameters).map(count -> count == null ? 0L : count);
    }

    /** The parameters as the client takes them: an {@link Instant} as an {@link OffsetDateTime} in UTC. */
    public static Tuple tuple(Object... parameters) {
        Tuple tuple = Tuple.tuple();
        for (Object parameter : parameters) {
            tuple.addValue(parameter(parameter));
        }
        return tuple;
    }

    private static Object parameter(Object value) {
        return value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value;
    }

    /** A {@code timestamptz} column as an {@link Instant}; null when null. */
    public static Instant instant(Row row, String column) {
        OffsetDateTime at = row.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }
}
