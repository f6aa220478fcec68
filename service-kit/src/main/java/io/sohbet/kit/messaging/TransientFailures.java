package io.sohbet.kit.messaging;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.ws.rs.WebApplicationException;
import org.apache.kafka.common.errors.RetriableException;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Which failures of a consumer are transient: the infrastructure failed and will most likely work again by itself
 * (PostgreSQL restarting or failing over, a lost connection, a deadlock, a serialization failure, a timeout, a pool
 * with no free connection in time, another service answering 503), so the record is retried ({@link ConsumerRetry}) before it
 * may go to its dead-letter topic. Everything else (a payload that cannot be read, a constraint violation, a bug) is
 * not: retrying would fail the same way, so the record goes to the dead-letter topic at once. The whole cause chain is
 * looked at, since Mutiny, the services' own exceptions and the REST client wrap what the driver threw.
 */
public final class TransientFailures implements Predicate<Throwable> {

    /**
     * SQLSTATEs that go away by themselves: serialization failure, deadlock, statement completion unknown, lock not
     * available, statement or transaction timeout, the server shutting down, crashing or starting up, an idle
     * session ended, a read-only transaction (a replica during a failover), system and I/O errors.
     */
    static final Set<String> STATES = Set.of("40001", "40P01", "40003", "55P03", "57014", "25P04", "57P01", "57P02",
            "57P03", "57P05", "25006", "58000", "58030");
    /** Whole SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many connections, memory, disk). */
    static final Set<String> STATE_CLASSES = Set.of("08", "53");
    /** HTTP answers of another service that say "later": timeout, too many requests, bad gateway, unavailable. */
    static final Set<Integer> STATUSES = Set.of(408, 429, 502, 503, 504);
    /** Netty's native transport reports a reset connection with an IOException of its own (not a SocketException). */
    private static final String NETTY_NATIVE_IO = "io.netty.channel.unix.Errors$NativeIoException";
    private static final int MAX_DEPTH = 20;

    @Override
    public boolean test(Throwable failure) {
        return isTransient(failure);
    }

    /** Whether {@code failure}, or anything in its cause chain, is transient. */
    public static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (transientItself(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientItself(Throwable t) {
        String state = sqlState(t);
        if (state != null) {
            return STATES.contains(state) || (state.length() >= 2 && STATE_CLASSES.contains(state.substring(0, 2)));
        }
        return t instanceof SocketException // connection refused or reset, no route to host
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException // DNS of a service being rescheduled
                || t instanceof ClosedChannelException
                || t instanceof TimeoutException // Vert.x pool acquisition, Mutiny's ifNoItem()
                || t instanceof ClosedConnectionException
                || t instanceof ConnectionPoolTooBusyException
                || t instanceof HttpClosedException // a peer closed the connection under a call
                || t instanceof RetriableException // Kafka's own: not enough replicas, leader moved, timeout
                || (t instanceof WebApplicationException web && web.getResponse() != null
                        && STATUSES.contains(web.getResponse().getStatus()))
                || NETTY_NATIVE_IO.equals(t.getClass().getName())
                || poolTimeout(t);
    }

    /**
     * The reactive SQL pool found no connection within its connection timeout (every connection busy, or a server
     * that accepts and then does not answer): Vert.x has no class of its own for it, only a {@code NoStackTraceThrowable}
     * "Timeout" to a caller that asks for a connection ({@code withConnection}, {@code withTransaction}) and a {@code VertxException} "Timeout
     * waiting for connection" to one that queries the pool.
     */
    private static boolean poolTimeout(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return false;
        }
        return (t instanceof NoStackTraceThrowable && message.equals("Timeout"))
                || (t instanceof VertxException && message.startsWith("Timeout waiting for connection"));
    }

    /**
     * A short, bounded name of what made {@code failure} transient, for a retry's metric and log: the link of the cause
     * chain that {@link #isTransient} found, {@code http-<status>} for another service's answer (the REST client throws
     * a plain {@code WebApplicationException} for every status), else as {@link #reason} names it (the timeout or
     * refused connection under the client's wrapper); {@link #reason} of the whole when nothing in it is transient.
     */
    public static String transientReason(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (transientItself(t)) {
                return t instanceof WebApplicationException web && web.getResponse() != null
                        ? "http-" + web.getResponse().getStatus() : reason(t);
            }
        }
        return reason(failure);
    }

    /**
     * A short, bounded name of the failure for metrics and logs, never its message: the class of the first exception
     * that is not a mere wrapper, with the SQLSTATE when the chain has one ({@code PgException-23505}).
     */
    public static String reason(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof java.lang.reflect.UndeclaredThrowableException) && t.getCause() != null) {
            t = t.getCause();
        }
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_DEPTH; c = c.getCause(), depth++) {
            String state = sqlState(c);
            if (state != null && state.matches("[0-9A-Z]{5}")) {
                return name(c) + "-" + state;
            }
        }
        return t == null ? "unknown" : name(t);
    }

    private static String sqlState(Throwable t) {
        if (t instanceof DatabaseException database) {
            return database.getSqlState();
        }
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        return null;
    }

    private static String name(Throwable t) {
        String name = t.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_$]", "_");
    }
}
