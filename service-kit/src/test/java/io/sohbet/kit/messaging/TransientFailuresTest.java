package io.sohbet.kit.messaging;

import com.fasterxml.jackson.core.JsonParseException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.TransactionRollbackException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TransientFailuresTest {

    static PgException pg(String state) {
        return new PgException("some server message", "ERROR", state, null);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> failures() {
        return Stream.of(
                // the database went away, is restarting or is busy
                arguments(new ConnectException("Connection refused"), true),
                arguments(new CompletionException(new RuntimeException(new ConnectException("Connection refused"))), true),
                arguments(new SocketException("Connection reset"), true),
                arguments(ClosedConnectionException.INSTANCE, true),
                arguments(pg("57P01"), true), // terminating connection due to administrator command
                arguments(pg("57P03"), true), // the database system is starting up
                arguments(pg("40P01"), true), // deadlock
                arguments(new RuntimeException(pg("40001")), true), // serialization failure
                arguments(pg("53300"), true), // too many connections
                arguments(pg("08006"), true), // connection failure
                arguments(pg("25006"), true), // read-only transaction: a replica during a failover
                arguments(pg("57014"), true), // statement timeout
                arguments(new SQLTransientConnectionException("gone", "08001"), true),
                arguments(new NoStackTraceTimeoutException("Timeout"), true), // a Vert.x timeout (HTTP client)
                arguments(new io.vertx.core.http.ConnectionPoolTooBusyException("pool full"), true),
                arguments(new NotEnoughReplicasException("later"), true),
                arguments(new jakarta.ws.rs.ProcessingException(new io.vertx.core.http.HttpClosedException("closed")), true),
                // a bug or a bad record: retrying would fail the same way
                arguments(pg("23505"), false), // unique violation
                arguments(new RuntimeException(pg("23502")), false), // not null violation
                arguments(pg("42P01"), false), // undefined table
                arguments(new IllegalArgumentException("no valid WaInbound payload", new JsonParseException(null, "bad")), false),
                arguments(new SerializationException("not a CloudEvent"), false),
                arguments(new NullPointerException(), false),
                arguments(new IllegalStateException("the erasure left ids behind"), false),
                arguments(TransactionRollbackException.INSTANCE, false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void retriesOnlyWhatTheInfrastructureWillFixByItself(Throwable failure, boolean expected) {
        assertThat(TransientFailures.isTransient(failure)).isEqualTo(expected);
        assertThat(new TransientFailures().test(failure)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void theReasonIsAShortClassNameNeverTheMessage(Throwable failure, boolean ignored) {
        assertThat(TransientFailures.reason(failure)).matches("[A-Za-z0-9_$]+(-[0-9A-Z]{5})?")
                .doesNotContain("message", "refused", "payload", "CloudEvent");
    }

    /**
     * What the reactive PostgreSQL pool really throws when it has no connection to give within its connection timeout
     * (every connection busy, or a server that accepts and then does not answer, as during a failover): a
     * NoStackTraceThrowable "Timeout" to a caller that asks for a connection (withConnection, withTransaction), a VertxException
     * "Timeout waiting for connection" to one that queries the pool. Both are timeouts, so transient.
     */
    @org.junit.jupiter.api.Test
    void theReactivePoolsOwnTimeoutsAreTransient() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
                    .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(1).setConnectionTimeout(500)
                            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .connectingTo(new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1").setPort(silent.getLocalPort())
                            .setDatabase("any").setUser("any").setPassword("any"))
                    .using(vertx).build();
            java.util.List<Throwable> failures = new java.util.ArrayList<>();
            java.util.List<java.util.concurrent.CompletableFuture<?>> calls = java.util.List.of(
                    pool.getConnection().toCompletionStage().toCompletableFuture(),
                    pool.query("SELECT 1").execute().toCompletionStage().toCompletableFuture());
            for (java.util.concurrent.CompletableFuture<?> call : calls) {
                try {
                    call.get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            pool.close();
            assertThat(failures).as("both calls time out waiting for a connection").extracting(Throwable::getMessage)
                    .containsExactly("Timeout", "Timeout waiting for connection");
            for (Throwable failure : failures) {
                assertThat(TransientFailures.isTransient(failure)).as("%s", failure).isTrue();
                assertThat(TransientFailures.isTransient(new CompletionException(new RuntimeException(failure)))).isTrue();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @org.junit.jupiter.api.Test
    void theReasonNamesTheFailureUnderWrappersWithItsSqlState() {
        assertThat(TransientFailures.reason(new CompletionException(new ConnectException("refused")))).isEqualTo("ConnectException");
        assertThat(TransientFailures.reason(new RuntimeException(pg("23505")))).isEqualTo("PgException-23505");
        assertThat(TransientFailures.reason(new IllegalArgumentException("x", new JsonParseException(null, "y"))))
                .isEqualTo("IllegalArgumentException");
    }

    @org.junit.jupiter.api.Test
    void aTransientReasonNamesTheLinkThatIsTransient() {
        assertThat(TransientFailures.transientReason(new jakarta.ws.rs.ProcessingException(
                new java.util.concurrent.TimeoutException("read timeout")))).isEqualTo("TimeoutException");
        assertThat(TransientFailures.transientReason(new CompletionException(
                new jakarta.ws.rs.WebApplicationException(jakarta.ws.rs.core.Response.status(503).build())))).isEqualTo("http-503");
        assertThat(TransientFailures.transientReason(new RuntimeException(pg("40001")))).isEqualTo("PgException-40001");
        assertThat(TransientFailures.transientReason(new IllegalStateException("x"))).as("nothing transient: as reason")
                .isEqualTo("IllegalStateException");
    }
}
