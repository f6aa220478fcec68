package io.sohbet.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database with an owner role (migrations) and a runtime role, also for a data folder made before, where the
 * superuser owns the database and the tables (the local run's .local folder): they are handed to the owner.
 */
class PostgresRolesTest {

    @TempDir
    Path dir;

    @Test
    void theOwnerRoleGetsTheDatabaseAndItsTablesAndTheRuntimeRoleOnlyLogsIn() throws Exception {
        try (Postgres postgres = Postgres.start(0, dir.resolve("data"), dir.resolve("postgres.log"))) {
            // as before: the database and its tables belong to the superuser
            postgres.createDatabase("legacy");
            try (Connection su = DriverManager.getConnection(postgres.jdbcUrl("legacy"), Postgres.USER, postgres.password());
                    Statement s = su.createStatement()) {
                s.execute("CREATE TABLE item (id BIGSERIAL PRIMARY KEY, name TEXT)");
                s.execute("CREATE SEQUENCE counter");
                s.execute("CREATE VIEW names AS SELECT name FROM item");
                s.execute("CREATE FUNCTION one() RETURNS INT LANGUAGE SQL AS 'SELECT 1'");
            }

            Postgres.Roles roles = postgres.createDatabaseWithRoles("legacy", "legacy_app");
            assertThat(roles.owner().user()).isEqualTo("legacy");
            assertThat(roles.runtime().user()).isEqualTo("legacy_app");
            try (Connection owner = login(postgres, "legacy", roles.owner()); Statement s = owner.createStatement()) {
                assertThat(owners(s)).containsExactlyInAnyOrder("legacy:counter", "legacy:item", "legacy:item_id_seq",
                        "legacy:names", "legacy:one");
                s.execute("INSERT INTO item (name) VALUES ('a')");
                s.execute("GRANT SELECT ON item TO legacy_app");
            }
            try (Connection runtime = login(postgres, "legacy", roles.runtime()); Statement s = runtime.createStatement()) {
                assertThat(s.executeQuery("SELECT count(*) FROM item")).satisfies(r -> {
                    r.next();
                    assertThat(r.getLong(1)).isOne();
                });
                assertThatThrownBy(() -> s.execute("DELETE FROM item")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }

            // again (the next start of the local run): new passwords, the old ones no longer log in
            Postgres.Roles again = postgres.createDatabaseWithRoles("legacy", "legacy_app");
            assertThat(again.owner().password()).isNotEqualTo(roles.owner().password());
            login(postgres, "legacy", again.owner()).close();
            login(postgres, "legacy", again.runtime()).close();
            assertThatThrownBy(() -> login(postgres, "legacy", roles.runtime())).isInstanceOf(SQLException.class);

            // a new database is made for its owner from the start
            Postgres.Roles fresh = postgres.createDatabaseWithRoles("fresh", "fresh_app");
            try (Connection owner = login(postgres, "fresh", fresh.owner()); Statement s = owner.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'fresh'")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("fresh");
            }
            assertThatThrownBy(() -> postgres.createDatabaseWithRoles("fresh", "fresh")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Connection login(Postgres postgres, String database, Postgres.Login login) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), login.user(), login.password());
    }

    private static List<String> owners(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT pg_get_userbyid(c.relowner) || ':' || c.relname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S', 'v') "
                + "UNION ALL SELECT pg_get_userbyid(p.proowner) || ':' || p.proname FROM pg_proc p "
                + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
