package io.sohbet.consent.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.consent.ConsentTestResources;
import io.sohbet.consent.service.AuditChain;
import io.sohbet.consent.service.AuditKeys;
import io.sohbet.devstack.SohbetTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.sohbet.consent.Fixtures.superuser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V10 on a database that holds unkeyed entries from before: they verify by the legacy rule up to the boundary it marks,
 * nothing unkeyed can be appended after them, and the first keyed entry pins them.
 */
@QuarkusTest
class AuditMigrationTest {

    @Inject
    AuditKeys keys;

    @Test
    void legacyEntriesVerifyUpToTheMarkedBoundaryAndArePinnedByTheFirstKeyedEntry() throws Exception {
        String database = "consent_v10_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = superuser(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = ConfigProvider.getConfig().getValue(SohbetTestResource.SUPERUSER_URL, String.class)
                .replaceAll("/[a-z_0-9]+$", "/" + database);
        String user = ConfigProvider.getConfig().getValue(SohbetTestResource.SUPERUSER, String.class);
        String password = ConfigProvider.getConfig().getValue(SohbetTestResource.SUPERUSER_PASSWORD, String.class);
        try {
            migrate(url, user, password, "8");
            List<AuditChain.Link> legacy = new ArrayList<>();
            try (Connection db = DriverManager.getConnection(url, user, password)) {
                String previous = AuditChain.GENESIS;
                for (long seq = 1; seq <= 3; seq++) {
                    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    String hash = AuditChain.legacyHash(previous, seq, at, "zeynep", "consent.granted", "subject-" + seq, "{}");
                    insert(db, new AuditChain.Link(seq, at, "zeynep", "consent.granted", "subject-" + seq, "{}", null, previous, hash));
                    legacy.add(new AuditChain.Link(seq, at, "zeynep", "consent.granted", "subject-" + seq, "{}", null, previous, hash));
                    previous = hash;
                }
            }
            migrate(url, user, password, "latest");
            try (Connection db = DriverManager.getConnection(url, user, password)) {
                AuditChain.Boundary boundary = boundary(db);
                assertThat(boundary).isEqualTo(new AuditChain.Boundary(3, legacy.get(2).hash()));
                assertThat(walk(db, boundary).finish()).isNull();

                // nothing unkeyed after the boundary, not even from a replica of the previous version
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                String unkeyed = AuditChain.legacyHash(boundary.lastHash(), 4, at, "old-replica", "consent.granted", null, "{}");
                assertThatThrownBy(() -> insert(db, new AuditChain.Link(4, at, "old-replica", "consent.granted", null, "{}", null,
                        boundary.lastHash(), unkeyed))).isInstanceOf(SQLException.class).hasMessageContaining("audit_entry_keyed_after_boundary");

                // the first keyed entry covers the last legacy hash: a legacy entry rewritten with recomputed hashes breaks it
                String pin = AuditChain.keyedHash(keys, keys.activeId(), boundary.lastHash(), 4, at, "consent-service",
                        "audit.legacy-entries-pinned", null, "{\"legacyEntries\":3}");
                insert(db, new AuditChain.Link(4, at, "consent-service", "audit.legacy-entries-pinned", null,
                        "{\"legacyEntries\":3}", keys.activeId(), boundary.lastHash(), pin));
                assertThat(walk(db, boundary).finish()).isNull();
                try (Statement s = db.createStatement()) {
                    String previous = legacy.get(0).hash();
                    for (AuditChain.Link l : legacy.subList(1, 3)) {
                        String details = l.seq() == 2 ? "{\"rewritten\":true}" : l.details();
                        String hash = AuditChain.legacyHash(previous, l.seq(), l.at(), l.actor(), l.action(), l.subjectId(), details);
                        s.execute("UPDATE audit_entry SET details = '" + details + "', prev_hash = '" + previous + "', hash = '"
                                + hash + "' WHERE seq = " + l.seq());
                        previous = hash;
                    }
                    s.execute("UPDATE audit_legacy_boundary SET last_hash = '" + previous + "'");
                }
                AuditChain.Problem problem = walk(db, boundary(db)).finish();
                assertThat(problem).isEqualTo(new AuditChain.Problem(4, "the link to the previous entry is broken"));

                // and the service's role may not write it
                try (ResultSet rows = db.createStatement().executeQuery("SELECT has_table_privilege('"
                        + ConsentTestResources.RUNTIME_ROLE + "', 'audit_entry', 'UPDATE'), has_table_privilege('"
                        + ConsentTestResources.RUNTIME_ROLE + "', 'audit_entry', 'INSERT'), has_table_privilege('"
                        + ConsentTestResources.RUNTIME_ROLE + "', 'consent_record', 'UPDATE')")) {
                    rows.next();
                    assertThat(List.of(rows.getBoolean(1), rows.getBoolean(2), rows.getBoolean(3))).containsExactly(false, true, true);
                }
            }
        } finally {
            try (Connection admin = superuser(); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static void migrate(String url, String user, String password, String target) {
        Flyway.configure().dataSource(url, user, password).locations("filesystem:src/main/resources/db/migration")
                .placeholders(Map.of("runtime_role", ConsentTestResources.RUNTIME_ROLE)).target(target).load().migrate();
    }

    private static void insert(Connection db, AuditChain.Link l) throws SQLException {
        boolean keyed = l.keyId() != null;
        try (PreparedStatement s = db.prepareStatement("INSERT INTO audit_entry (seq, at, actor, action, subject_id, details, "
                + "prev_hash, hash" + (keyed ? ", key_id" : "") + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?" + (keyed ? ", ?" : "") + ")")) {
            s.setLong(1, l.seq());
            s.setObject(2, OffsetDateTime.ofInstant(l.at(), ZoneOffset.UTC));
            s.setString(3, l.actor());
            s.setString(4, l.action());
            s.setString(5, l.subjectId());
            s.setString(6, l.details());
            s.setString(7, l.prevHash());
            s.setString(8, l.hash());
            if (keyed) {
                s.setString(9, l.keyId());
            }
            s.executeUpdate();
        }
    }

    private static AuditChain.Boundary boundary(Connection db) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery("SELECT last_seq, last_hash FROM audit_legacy_boundary")) {
            rows.next();
            return new AuditChain.Boundary(rows.getLong(1), rows.getString(2));
        }
    }

    private AuditChain.Walk walk(Connection db, AuditChain.Boundary boundary) throws SQLException {
        AuditChain.Walk walk = new AuditChain.Walk(keys, boundary, 0, AuditChain.GENESIS);
        try (ResultSet rows = db.createStatement().executeQuery("SELECT * FROM audit_entry ORDER BY seq")) {
            while (rows.next()) {
                walk.accept(new AuditChain.Link(rows.getLong("seq"), rows.getObject("at", OffsetDateTime.class).toInstant(),
                        rows.getString("actor"), rows.getString("action"), rows.getString("subject_id"), rows.getString("details"),
                        rows.getString("key_id"), rows.getString("prev_hash"), rows.getString("hash")));
            }
        }
        return walk;
    }
}
