package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static io.sohbet.consent.Fixtures.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AuditLogTest {

    @Inject
    Pool pool;

    @Test
    void consentChangesAndAdminActionsAreChainedAndTamperingIsDetected() throws Throwable {
        String phone = phone();
        String subject = IDS.fromPhone(phone);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body("{\"phone\":\"" + phone + "\",\"name\":\"Deniz\"}")
                .when().put("/api/identities").then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/api/identities/" + subject).then().statusCode(200);
        given().auth().oauth2(officer()).when().get("/api/audit?subjectId=" + subject).then().statusCode(200)
                .body("action", hasItems("consent.granted", "identity.stored", "identity.read"))
                .body("actor", hasItems("zeynep"))
                .body("details", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("Deniz"))));
        given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("firstInvalidSeq", nullValue());

        Row entry = sql(pool, "SELECT seq, details FROM audit_entry WHERE subject_id = $1 ORDER BY seq LIMIT 1", subject)
                .iterator().next();
        long seq = entry.getLong("seq");
        String details = entry.getString("details");
        try {
            sql(pool, "UPDATE audit_entry SET details = $1 WHERE seq = $2", details.replace("web-form", "admin"), seq);
            given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200)
                    .body("valid", equalTo(false)).body("firstInvalidSeq", equalTo((int) seq))
                    .body("problem", equalTo("the entry was changed after it was written"));
        } finally {
            sql(pool, "UPDATE audit_entry SET details = $1 WHERE seq = $2", details, seq);
        }
        Row removed = sql(pool, "DELETE FROM audit_entry WHERE seq = $1 RETURNING *", seq).iterator().next();
        try {
            given().auth().oauth2(officer()).when().get("/api/audit/verify").then().statusCode(200)
                    .body("valid", equalTo(false)).body("firstInvalidSeq", equalTo((int) seq));
        } finally {
            sql(pool, "INSERT INTO audit_entry (seq, at, actor, action, subject_id, details, prev_hash, hash) "
                    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", removed.getLong("seq"), removed.getOffsetDateTime("at"),
                    removed.getString("actor"), removed.getString("action"), removed.getString("subject_id"),
                    removed.getString("details"), removed.getString("prev_hash"), removed.getString("hash"));
        }
        given().auth().oauth2(officer()).when().get("/api/audit/verify").then().body("valid", equalTo(true));
        given().auth().oauth2(token("mert", "marketer")).when().get("/api/audit").then().statusCode(403);
        given().when().get("/api/audit/verify").then().statusCode(401);
    }

    @Test
    void theHashCoversEveryField() {
        java.time.Instant at = java.time.Instant.parse("2026-11-22T10:00:00Z");
        String base = AuditLog.hash(AuditLog.GENESIS, 1, at, "a", "x", "s", "{}");
        org.assertj.core.api.Assertions.assertThat(java.util.List.of(
                AuditLog.hash("1".repeat(64), 1, at, "a", "x", "s", "{}"),
                AuditLog.hash(AuditLog.GENESIS, 2, at, "a", "x", "s", "{}"),
                AuditLog.hash(AuditLog.GENESIS, 1, at.plusNanos(1000), "a", "x", "s", "{}"),
                AuditLog.hash(AuditLog.GENESIS, 1, at, "ax", "", "s", "{}"),
                AuditLog.hash(AuditLog.GENESIS, 1, at, "a", "x", null, "{}"),
                AuditLog.hash(AuditLog.GENESIS, 1, at, "a", "x", "s", "{ }"))).doesNotContain(base).doesNotHaveDuplicates();
    }
}
