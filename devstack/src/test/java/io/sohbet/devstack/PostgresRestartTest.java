package io.sohbet.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A stopped PostgreSQL refuses connections, and starts again on the same port with the same data. */
class PostgresRestartTest {

    @TempDir
    Path dir;

    @Test
    void stopsAndStartsAgainOnTheSamePortAndData() throws Exception {
        try (Postgres postgres = Postgres.start(0, dir.resolve("data"), dir.resolve("postgres.log"))) {
            int port = postgres.port();
            try (Connection c = connect(postgres)) {
                c.createStatement().execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
            }

            postgres.stop();
            assertThat(postgres.isRunning()).isFalse();
            assertThatThrownBy(() -> connect(postgres).close()).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
            postgres.stop(); // stopping a stopped server does nothing

            postgres.startAgain();
            assertThat(postgres.isRunning()).isTrue();
            assertThat(postgres.port()).isEqualTo(port);
            try (Connection c = connect(postgres); ResultSet rs = c.createStatement().executeQuery("SELECT id FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            assertThat(dir.resolve("postgres-2.log")).isRegularFile();
        }
    }

    private static Connection connect(Postgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), Postgres.USER, postgres.password());
    }
}
