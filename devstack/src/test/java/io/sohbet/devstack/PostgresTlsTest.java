package io.sohbet.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local PostgreSQL speaks TLS as CloudNativePG does: a client with sslmode=verify-full and the server's CA gets an
 * encrypted session; one that trusts another authority is refused before it logs in.
 */
class PostgresTlsTest {

    @TempDir
    Path dir;

    @Test
    void verifyFullConnectsWithTheServersCaAndRefusesAnotherOne() throws Exception {
        try (Postgres postgres = Postgres.start(0, dir.resolve("data"), dir.resolve("postgres.log"))) {
            try (Connection c = connect(postgres, postgres.caCertificate());
                 ResultSet rs = c.createStatement().executeQuery("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean("ssl")).isTrue();
                assertThat(rs.getString("version")).startsWith("TLSv1.");
            }
            Path stranger = LocalCertificateAuthority.cached("stranger").caCertificate();
            assertThatThrownBy(() -> connect(postgres, stranger).close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SSL");
        }
    }

    private static Connection connect(Postgres postgres, Path ca) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", Postgres.USER);
        properties.setProperty("password", postgres.password());
        properties.setProperty("sslmode", "verify-full");
        properties.setProperty("sslrootcert", ca.toString());
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), properties);
    }
}
