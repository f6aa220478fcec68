package io.sohbet.metrics.rest;

import db.migration.V6__hash_message_ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.MessageIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaInbound;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static io.sohbet.metrics.rest.MetricsResourceTest.subject;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows stored before message ids were hashed hold wamids in clear. The V6 migration hashes them with the service's key:
 * afterwards no row holds a clear id, every figure of the campaign is exactly what it was, and a status or reply
 * that arrives after the upgrade (with the hashed id, as webhook-service now sends it) still finds its message.
 */
@QuarkusTest
class MessageIdMigrationTest {

    static final MessageIds IDS = MessageIds.withKey("dev-message-id-key-not-for-production");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void clearIdsStoredBeforeBecomeTheirHashesAndEveryFigureStaysTheSame() throws Exception {
        String run = Long.toHexString(System.nanoTime());
        String campaign = "c-" + run + "-migrated";
        String prefix = "m" + run;
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (MetricsResourceTest.Sent e : MetricsResourceTest.campaign(campaign, prefix)) {
                kafka.send(e.topic(), e.key(), e.event());
            }
        }
        Map<String, Object> before = figures(MetricsResourceTest.awaitCampaign(campaign));
        assertThat(before).containsKey("overall");

        // the database as the previous version left it: the same rows, with the ids in clear
        List<String> clear = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clear.add("wamid." + prefix + "." + i);
        }
        clear.addAll(List.of("in." + prefix + ".1", "in." + prefix + ".2", "in." + prefix + ".6"));
        try (Connection c = dataSource.getConnection()) {
            for (String id : clear) {
                for (String sql : List.of("UPDATE message_state SET wamid = ? WHERE wamid = ?",
                        "UPDATE inbound_message SET wamid = ? WHERE wamid = ?",
                        "UPDATE inbound_message SET context_wamid = ? WHERE context_wamid = ?")) {
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        s.setString(1, id);
                        s.setString(2, IDS.of(id));
                        s.executeUpdate();
                    }
                }
            }
            assertThat(count(c, "SELECT count(*) FROM message_state WHERE wamid LIKE 'wamid." + prefix + ".%'")).isEqualTo(10);
            assertThat(count(c, "SELECT count(*) FROM inbound_message WHERE context_wamid LIKE 'wamid." + prefix + ".%'")).isEqualTo(2);
        }
        assertThat(figures(campaignNow(campaign))).as("the clear rows give the same figures").isEqualTo(before);
        // and enough other clear rows that the migration reads several pages
        int bulk = 4500;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO message_state (wamid, subject_id, sent_at) SELECT 'wamid.bulk." + run + ".' || n, "
                    + "'bulk" + run + "', now() FROM generate_series(1, " + bulk + ") AS n");
        }

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            V6__hash_message_ids.rewrite(c);
            c.commit();
            assertThat(count(c, "SELECT count(*) FROM message_state WHERE wamid LIKE '%" + prefix + "%'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM inbound_message WHERE wamid LIKE '%" + prefix + "%' "
                    + "OR context_wamid LIKE '%" + prefix + "%'")).isZero();
            assertThat(count(c, "SELECT count(*) FROM message_state WHERE wamid LIKE 'wamid.%'")
                    + count(c, "SELECT count(*) FROM inbound_message WHERE wamid LIKE 'wamid.%' OR context_wamid LIKE 'wamid.%'")
                    + count(c, "SELECT count(*) FROM feedback WHERE wamid LIKE 'wamid.%'")).as("no clear wamid in any row").isZero();
            assertThat(count(c, "SELECT count(*) FROM message_state WHERE subject_id = 'bulk" + run + "' AND wamid LIKE 'mid\\_%'"))
                    .isEqualTo(bulk);
            for (int n : new int[] {1, 2000, 2001, 4000, bulk}) {
                assertThat(count(c, "SELECT count(*) FROM message_state WHERE wamid = '" + IDS.of("wamid.bulk." + run + "." + n) + "'"))
                        .as("bulk row %d", n).isEqualTo(1);
            }
            for (String id : clear) {
                assertThat(count(c, "SELECT count(*) FROM message_state WHERE wamid = '" + IDS.of(id) + "'")
                        + count(c, "SELECT count(*) FROM inbound_message WHERE wamid = '" + IDS.of(id) + "'")).as(id).isEqualTo(1);
            }
            // run again (or on rows already hashed): nothing changes
            long unchanged = io.sohbet.kit.ClearMessageIds.rewrite(c, "message_state", "wamid", "text", Map.of("wamid", IDS::of));
            c.commit();
            assertThat(unchanged).isZero();
        }
        assertThat(figures(campaignNow(campaign))).as("every figure after the migration").isEqualTo(before);

        // after the upgrade: s3's read (delivered, not read so far) and s4's reply to the campaign, with hashed ids
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            MetricsResourceTest.Sent read = MetricsResourceTest.status(subject(prefix, 3), IDS.of("wamid." + prefix + ".3"), "read",
                    MetricsResourceTest.T0.plus(Duration.ofHours(3)), null);
            kafka.send(read.topic(), read.key(), read.event());
            MetricsResourceTest.Sent reply = MetricsResourceTest.inbound(subject(prefix, 4), IDS.of("in." + prefix + ".4"),
                    MetricsResourceTest.T0.plus(Duration.ofHours(5)), "interactive", "yes", null, IDS.of("wamid." + prefix + ".4"), null);
            kafka.send(reply.topic(), reply.key(), reply.event());
            assertThat(reply.event().dataAs(WaInbound.class).contextWamid()).startsWith("mid_");
            assertThat(reply.topic()).isEqualTo(Topics.WA_INBOUND);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        Response after;
        do {
            Thread.sleep(300);
            after = campaignNow(campaign);
        } while (!(Integer.valueOf(7).equals(after.path("overall.read")) && Integer.valueOf(4).equals(after.path("overall.replied")))
                && System.currentTimeMillis() < deadline);
        assertThat(after.<Integer>path("overall.read")).as("a late read finds its migrated message").isEqualTo(7);
        assertThat(after.<Integer>path("overall.replied")).as("a late reply's context finds the migrated message").isEqualTo(4);
        assertThat(after.<Integer>path("overall.sent")).isEqualTo(10);
    }

    static Response campaignNow(String campaign) {
        return given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign);
    }

    static Map<String, Object> figures(Response response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.jsonPath().getMap("$");
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

}
