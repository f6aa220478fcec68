package io.sohbet.webhook.repository;

import db.migration.V2__hash_shop_ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.events.ShopIds;
import io.sohbet.webhook.service.SignatureVerifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Receipts stored before shop ids were hashed hold the shop's event id in clear. The V2 migration hashes them with the
 * service's key: afterwards no receipt holds the clear id, and the shop's retry of that event is still a duplicate.
 */
@QuarkusTest
class ShopIdMigrationTest {

    static final ShopIds IDS = ShopIds.withKey("dev-message-id-key-not-for-production");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aReceiptStoredInClearBecomesItsHashAndTheShopsRetryIsStillADuplicate() throws Exception {
        String id = "evt-" + UUID.randomUUID();
        byte[] body = ("{\"id\":\"" + id + "\",\"type\":\"order.paid\",\"occurredAt\":\"2026-11-20T12:00:00Z\","
                + "\"customer\":{\"phone\":\"+905321234567\"},\"order\":{\"id\":\"o-" + id + "\",\"total\":10,\"currency\":\"TRY\"}}")
                .getBytes(StandardCharsets.UTF_8);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO commerce_receipt (shop_event_id, body_sha256, event_type, "
                    + "received_at) VALUES (?, ?, 'order.paid', now())")) {
                s.setString(1, id);
                s.setString(2, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
                s.executeUpdate();
            }
            V2__hash_shop_ids.rewrite(c);
            V2__hash_shop_ids.rewrite(c); // idempotent
            assertThat(ids(c, id)).as("receipts under the clear id").isZero();
            assertThat(ids(c, IDS.of(id))).as("receipts under the hashed id").isEqualTo(1);
        }
        long now = java.time.Instant.now().getEpochSecond();
        given().contentType(ContentType.JSON).header("X-Sohbet-Timestamp", Long.toString(now))
                .header("X-Sohbet-Signature", SignatureVerifier.sign("dev-commerce-secret", (now + ".").getBytes(StandardCharsets.US_ASCII), body))
                .body(body).when().post("/webhooks/commerce").then().statusCode(200)
                .body("duplicate", equalTo(true)).body("eventId", equalTo("commerce:" + IDS.of(id)));
    }

    private static long ids(Connection c, String id) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM commerce_receipt WHERE shop_event_id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
