package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sohbet.consent.messaging.AuditHeadPublisher;
import io.sohbet.consent.messaging.AuditHeads;
import io.sohbet.events.payload.AuditHead;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.superuser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone with full access to the database (the PostgreSQL superuser) rewrites the audit log and recomputes the plain
 * SHA-256 hashes that were all it took before the chain was keyed: verify finds the first entry that no longer fits, and
 * where the whole chain is rewritten or cut short so that it fits its own rules, the head published to Kafka.
 */
@QuarkusTest
class AuditTamperTest {

    @Inject
    AuditHeadPublisher publisher;

    @Inject
    AuditHeads heads;

    /** One stored entry, to rewrite and restore. */
    record Stored(long seq, OffsetDateTime at, String actor, String action, String subjectId, String details, String keyId,
            String prevHash, String hash) {
    }

    @Test
    void anEntryRewrittenWithRecomputedPlainHashesIsTheFirstInvalidOne() throws Exception {
        recordConsents(3);
        try (Connection db = superuser()) {
            lockAppends(db);
            List<Stored> original = entries(db, "SELECT * FROM audit_entry WHERE seq > (SELECT max(seq) - 3 FROM audit_entry) ORDER BY seq");
            long target = original.get(0).seq();
            try {
                rewriteWithPlainHashes(db, original, e -> e.seq() == target ? with(e, e.details().replace("web-form", "admin"), e.keyId()) : e);
                assertThat(entries(db, "SELECT * FROM audit_entry WHERE seq = " + target).get(0).details()).contains("admin");

                JsonPath verification = verify();
                assertThat(verification.getBoolean("valid")).isFalse();
                assertThat(verification.getLong("firstInvalidSeq")).isEqualTo(target);
                assertThat(verification.getString("problem")).isEqualTo("the entry was changed after it was written");
            } finally {
                restore(db, original);
                unlockAppends(db);
            }
        }
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void aChainRewrittenWholeAsUnkeyedEntriesFitsItsRulesButNotThePublishedHead() throws Exception {
        recordConsents(3);
        AuditHead published = publishedHead();
        try (Connection db = superuser()) {
            lockAppends(db);
            List<Stored> original = entries(db, "SELECT * FROM audit_entry ORDER BY seq");
            Stored boundary = boundary(db);
            try (Statement s = db.createStatement()) {
                // every entry becomes a "legacy" one, the boundary moves to the end: no key needed to recompute anything
                s.execute("ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_keyed_after_boundary");
                rewriteWithPlainHashes(db, original, e -> with(e, e.details(), null));
                s.execute("UPDATE audit_legacy_boundary SET last_seq = (SELECT max(seq) FROM audit_entry), "
                        + "last_hash = (SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1)");

                JsonPath verification = verify();
                assertThat(verification.getBoolean("valid")).isFalse();
                assertThat(verification.getString("publishedHead.status")).isEqualTo("differs");
                assertThat(verification.getLong("firstInvalidSeq")).isEqualTo(published.seq());
                assertThat(verification.getString("problem")).contains("differs from the head published for it");
                // and such a chain is never published as the new head
                assertThat(publisher.publishIfMoved()).isNull();
                AuditHead latest = heads.latest().orElseThrow();
                assertThat(original).filteredOn(e -> e.seq() == latest.seq()).singleElement()
                        .satisfies(e -> assertThat(e.hash()).isEqualTo(latest.hash()));
            } finally {
                restore(db, original);
                try (Statement s = db.createStatement()) {
                    s.execute("UPDATE audit_legacy_boundary SET last_seq = " + boundary.seq() + ", last_hash = '" + boundary.hash() + "'");
                    s.execute("ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_keyed_after_boundary CHECK (key_id IS NOT NULL OR seq <= "
                            + boundary.seq() + ")");
                }
                unlockAppends(db);
            }
        }
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void aChainCutShortFitsItsRulesButNotThePublishedHead() throws Exception {
        recordConsents(3);
        AuditHead published = publishedHead();
        try (Connection db = superuser()) {
            lockAppends(db);
            List<Stored> removed = entries(db, "SELECT * FROM audit_entry WHERE seq >= " + (published.seq() - 1) + " ORDER BY seq");
            try {
                try (Statement s = db.createStatement()) {
                    s.execute("DELETE FROM audit_entry WHERE seq >= " + (published.seq() - 1));
                }
                JsonPath verification = verify();
                assertThat(verification.getBoolean("valid")).isFalse();
                assertThat(verification.getString("publishedHead.status")).isEqualTo("missing");
                assertThat(verification.getLong("firstInvalidSeq")).isEqualTo(published.seq() - 1);
                assertThat(verification.getLong("headSeq")).isEqualTo(published.seq() - 2);
            } finally {
                restore(db, removed);
                unlockAppends(db);
            }
        }
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    private static void recordConsents(int count) {
        for (int i = 0; i < count; i++) {
            given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone(), "marketing"))
                    .when().post("/api/consents").then().statusCode(201);
        }
    }

    private static JsonPath verify() {
        return given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
    }

    /** Publishes the head now (or waits for the scheduled publication) and returns it. */
    private AuditHead publishedHead() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            publisher.publishIfMoved();
            var head = heads.latest();
            if (head.isPresent() && head.get().seq() >= 3) {
                return head.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no audit head was published");
    }

    /** Holds the appenders' advisory lock for this session: nothing is appended while the test rewrites the chain. */
    private static void lockAppends(Connection db) throws SQLException {
        db.createStatement().execute("SELECT pg_advisory_lock(" + AuditLog.LOCK + ")");
    }

    private static void unlockAppends(Connection db) throws SQLException {
        db.createStatement().execute("SELECT pg_advisory_unlock(" + AuditLog.LOCK + ")");
    }

    private static Stored with(Stored e, String details, String keyId) {
        return new Stored(e.seq(), e.at(), e.actor(), e.action(), e.subjectId(), details, keyId, e.prevHash(), e.hash());
    }

    /** Writes the entries changed by {@code change}, each with the plain SHA-256 link to the one before, as before V10. */
    private static void rewriteWithPlainHashes(Connection db, List<Stored> entries, UnaryOperator<Stored> change) throws SQLException {
        String previous = entries.get(0).prevHash();
        try (PreparedStatement update = db.prepareStatement("UPDATE audit_entry SET details = ?, key_id = ?, prev_hash = ?, "
                + "hash = ? WHERE seq = ?")) {
            for (Stored entry : entries) {
                Stored changed = change.apply(entry);
                String hash = AuditChain.legacyHash(previous, changed.seq(), changed.at().toInstant(), changed.actor(),
                        changed.action(), changed.subjectId(), changed.details());
                update.setString(1, changed.details());
                update.setString(2, changed.keyId());
                update.setString(3, previous);
                update.setString(4, hash);
                update.setLong(5, changed.seq());
                update.executeUpdate();
                previous = hash;
            }
        }
    }

    private static void restore(Connection db, List<Stored> entries) throws SQLException {
        try (PreparedStatement upsert = db.prepareStatement("INSERT INTO audit_entry (seq, at, actor, action, subject_id, details, "
                + "key_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO UPDATE SET at = excluded.at, "
                + "actor = excluded.actor, action = excluded.action, subject_id = excluded.subject_id, details = excluded.details, "
                + "key_id = excluded.key_id, prev_hash = excluded.prev_hash, hash = excluded.hash")) {
            for (Stored e : entries) {
                upsert.setLong(1, e.seq());
                upsert.setObject(2, e.at());
                upsert.setString(3, e.actor());
                upsert.setString(4, e.action());
                upsert.setString(5, e.subjectId());
                upsert.setString(6, e.details());
                upsert.setString(7, e.keyId());
                upsert.setString(8, e.prevHash());
                upsert.setString(9, e.hash());
                upsert.executeUpdate();
            }
        }
    }

    private static List<Stored> entries(Connection db, String query) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (ResultSet rows = db.createStatement().executeQuery(query)) {
            while (rows.next()) {
                out.add(new Stored(rows.getLong("seq"), rows.getObject("at", OffsetDateTime.class), rows.getString("actor"), rows.getString("action"),
                        rows.getString("subject_id"), rows.getString("details"), rows.getString("key_id"),
                        rows.getString("prev_hash"), rows.getString("hash")));
            }
        }
        return out;
    }

    /** The legacy boundary, as a Stored with only seq and hash. */
    private static Stored boundary(Connection db) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery("SELECT last_seq, last_hash FROM audit_legacy_boundary")) {
            rows.next();
            return new Stored(rows.getLong(1), null, null, null, null, null, null, null, rows.getString(2));
        }
    }
}
