package io.sohbet.metrics.rest;

import db.migration.V8__hash_shop_ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.ShopIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sohbet.metrics.rest.MessageIdMigrationTest.campaignNow;
import static io.sohbet.metrics.rest.MessageIdMigrationTest.figures;
import static io.sohbet.metrics.rest.MetricsResourceTest.subject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shop order ids point at the customer in the shop's database, so metrics-service keeps only their keyed hashes: an
 * order published in clear (before webhook-service hashed them) is stored hashed, rows stored in clear before the
 * upgrade are hashed by the V8 migration with every figure unchanged, and a cancellation that arrives afterwards
 * (hashed, as webhook-service now publishes it) still finds its order.
 */
@QuarkusTest
class ShopIdMigrationTest {

    static final ShopIds IDS = ShopIds.withKey("dev-message-id-key-not-for-production");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void orderIdsAreKeptHashedAndClearRowsFromBeforeAreHashedWithEveryFigureTheSame() throws Exception {
        String run = Long.toHexString(System.nanoTime());
        String campaign = "c-" + run + "-shop";
        String prefix = "s" + run;
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (MetricsResourceTest.Sent e : MetricsResourceTest.campaign(campaign, prefix)) {
                kafka.send(e.topic(), e.key(), e.event());
            }
        }
        Map<String, Object> before = figures(MetricsResourceTest.awaitCampaign(campaign));
        List<String> orders = List.of("o." + prefix + ".0", "o." + prefix + ".5", "o." + prefix + ".3");
        try (Connection c = dataSource.getConnection()) {
            assertThat(count(c, "SELECT count(*) FROM shop_order WHERE order_id LIKE '%" + prefix + "%'")).as("clear order ids").isZero();
            // the campaign's figures can be complete before an order that changes none of them is stored: wait for it
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            for (String order : orders) {
                String sql = "SELECT count(*) FROM shop_order WHERE order_id = '" + IDS.of(order) + "'";
                while (count(c, sql) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(count(c, sql)).as(order).isEqualTo(1);
            }
            // the database as the previous version left it: the same rows, with the order ids in clear
            for (String order : orders) {
                try (PreparedStatement s = c.prepareStatement("UPDATE shop_order SET order_id = ? WHERE order_id = ?")) {
                    s.setString(1, order);
                    s.setString(2, IDS.of(order));
                    assertThat(s.executeUpdate()).isEqualTo(1);
                }
            }
            assertThat(figures(campaignNow(campaign))).as("the clear rows give the same figures").isEqualTo(before);
            V8__hash_shop_ids.rewrite(c);
            V8__hash_shop_ids.rewrite(c); // idempotent
            assertThat(count(c, "SELECT count(*) FROM shop_order WHERE order_id LIKE '%" + prefix + "%'")).as("clear order ids").isZero();
        }
        assertThat(figures(campaignNow(campaign))).as("every figure after the migration").isEqualTo(before);

        // after the upgrade: subject 0's order is cancelled, with the hashed id webhook-service publishes now
        String cancelled = IDS.of("o." + prefix + ".0");
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.COMMERCE_EVENT, subject(prefix, 0), CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + IDS.of("x" + run),
                    "/sohbet/test", MetricsResourceTest.T0, subject(prefix, 0), new CommerceEvent(IDS.of("x" + run), "order.cancelled",
                            MetricsResourceTest.T0.plus(Duration.ofDays(3)), cancelled, null, null, null, List.of(), null)));
        }
        long converted = ((Number) ((Map<?, ?>) before.get("overall")).get("converted")).longValue();
        long deadline = System.currentTimeMillis() + 30_000;
        Response after;
        do {
            Thread.sleep(300);
            after = campaignNow(campaign);
        } while (after.<Integer>path("overall.converted") != converted - 1 && System.currentTimeMillis() < deadline);
        assertThat(after.<Integer>path("overall.converted")).as("the cancellation found its migrated order").isEqualTo((int) converted - 1);
        try (Connection c = dataSource.getConnection()) {
            assertThat(count(c, "SELECT count(*) FROM shop_order WHERE order_id = '" + cancelled + "' AND cancelled")).isEqualTo(1);
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
