package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.consent.ConsentTestResources;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.devstack.SohbetTestResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.superuser;
import static io.sohbet.consent.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AuditLogTest {

    @Inject
    Pool pool;

    @Inject
    AuditKeys keys;

    @Inject
    AuditLog audit;

    @Inject
    ConsentConfig consentConfig;

    @Inject
    Vertx vertx;

    @Test
    void consentChangesAdminActionsAndReadsAreChainedUnderTheKey() {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":\"" + phone + "\",\"name\":\"Deniz\"}")
                .when().put("/api/identities").then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/api/identities/" + subject).then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/api/consents/" + subject).then().statusCode(200);

        given().auth().oauth2(officer()).when().get("/api/audit?subjectId=" + subject).then().statusCode(200)
                .body("action", hasItems("consent.granted", "identity.stored", "identity.read", "consent.history-read"))
                .body("actor", everyItem(equalTo("zeynep")))
                .body("keyId", everyItem(equalTo(keys.activeId())))
                // the client the reader used (azp): people come through the command-line client
                .body("find { it.action == 'identity.read' }.details", equalTo("{\"client\":\"sohbet-cli\",\"fields\":2}"))
                .body("find { it.action == 'consent.history-read' }.details", equalTo("{\"client\":\"sohbet-cli\",\"entries\":1}"))
                .body("details", everyItem(not(org.hamcrest.Matchers.containsString("Deniz"))));
        // the search by subject was itself audited
        given().auth().oauth2(officer()).when().get("/api/audit?subjectId=" + subject + "&limit=1").then().statusCode(200)
                .body("[0].action", equalTo("audit.subject-read"));
        given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("firstInvalidSeq", nullValue()).body("headSeq", notNullValue())
                .body("headHash", notNullValue());
    }

    @Test
    void onlyPrivacyRolesReadTheLogAndBadQueriesAre400() {
        given().auth().oauth2(token("mert", "marketer")).when().get("/api/audit").then().statusCode(403);
        given().auth().oauth2(service()).when().get("/api/audit/verify").then().statusCode(403);
        given().when().get("/api/audit/verify").then().statusCode(401);
        given().auth().oauth2(officer()).when().get("/api/audit?subjectId=nope").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(officer()).when().get("/api/audit?limit=0").then().statusCode(400);
    }

    @Test
    void theServiceRoleMayOnlyInsertAndReadAuditEntries() throws Throwable {
        assertThat(sql(pool, "SELECT current_user").iterator().next().getString(0)).isEqualTo(ConsentTestResources.RUNTIME_ROLE);
        long seq = sql(pool, "SELECT max(seq) FROM audit_entry").iterator().next().getLong(0);
        for (String forbidden : List.of(
                "UPDATE audit_entry SET details = details WHERE seq = " + seq,
                "UPDATE audit_entry SET hash = hash, prev_hash = prev_hash WHERE seq = " + seq,
                "DELETE FROM audit_entry WHERE seq = " + seq,
                "TRUNCATE audit_entry",
                "ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_keyed_after_boundary",
                "DROP TABLE audit_entry",
                "UPDATE audit_legacy_boundary SET last_seq = last_seq + 1",
                "DELETE FROM audit_legacy_boundary",
                "UPDATE flyway_schema_history SET checksum = checksum")) {
            Throwable refused = catchThrowable(() -> sql(pool, forbidden));
            assertThat(refused).as(forbidden).isInstanceOf(PgException.class);
            assertThat(((PgException) refused).getSqlState()).as(forbidden).isEqualTo("42501"); // insufficient_privilege
        }
        assertThat(sql(pool, "SELECT count(*) FROM audit_entry WHERE seq = $1", seq).iterator().next().getLong(0)).isOne();
        // the other tables stay the service's to change
        sql(pool, "DELETE FROM processed_event WHERE event_id = 'none'");

        assertThat(beyondAppend(null)).isEmpty();
        try (Connection superuser = superuser()) {
            assertThat(beyondAppend(superuser)).contains("superuser", "UPDATE on audit_entry", "DELETE on audit_entry");
        }
    }

    @Test
    void theServiceRefusesToStartAsARoleThatMayRewriteTheLog() {
        Config config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue(SohbetTestResource.SUPERUSER_URL, String.class)
                        .substring("jdbc:".length()))
                .setUser(config.getValue(SohbetTestResource.SUPERUSER, String.class))
                .setPassword(config.getValue(SohbetTestResource.SUPERUSER_PASSWORD, String.class));
        Pool superuser = PgBuilder.pool().connectingTo(options).with(new PoolOptions().setMaxSize(1)).using(vertx).build();
        try {
            assertThatThrownBy(() -> new AuditStartup(superuser, audit, consentConfig).onStart(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the database role may rewrite the audit log (superuser")
                    .hasMessageContaining("owner of audit_entry").hasMessageContaining("UPDATE on audit_entry")
                    .hasMessageContaining("DELETE on audit_legacy_boundary");
        } finally {
            superuser.closeAndAwait();
        }
    }

    /** What the role may do beyond appending: the service's own role (null) or the given connection's. */
    private List<String> beyondAppend(Connection connection) throws Throwable {
        List<String> out = new ArrayList<>();
        if (connection == null) {
            sql(pool, AuditStartup.PRIVILEGES_BEYOND_APPEND).forEach(row -> out.add(row.getString(0)));
            return out;
        }
        try (ResultSet rows = connection.createStatement().executeQuery(AuditStartup.PRIVILEGES_BEYOND_APPEND)) {
            while (rows.next()) {
                out.add(rows.getString(1));
            }
        }
        return out;
    }
}
