package io.sohbet.campaign.messaging;

import db.migration.V3__hash_message_ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.campaign.TestRows;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.MessageIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaStatus;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Send-queue rows of the previous version hold the wamid in clear. The V3 migration gives them its keyed hash, the id
 * statuses carry now, so a status that arrives after the upgrade still updates a message sent before it.
 */
@QuarkusTest
class MessageIdMigrationTest {

    static final MessageIds IDS = MessageIds.withKey("dev-message-id-key-not-for-production");

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void clearWamidsBecomeTheirHashesAndLaterStatusesStillFindTheirRows() throws Throwable {
        String campaign = "c-" + UUID.randomUUID();
        String subject = "subject" + UUID.randomUUID().toString().replace("-", "");
        TestRows.sentTo(pool, campaign, subject); // wamid 'wamid.<campaign>.<subject>', as the previous version stored it
        String clear = "wamid." + campaign + "." + subject;
        assertThat(wamidOf(campaign)).isEqualTo(clear);
        // and enough other rows of the previous version that the migration reads several pages
        String bulk = "c-" + UUID.randomUUID();
        String[] recipients = java.util.stream.IntStream.range(0, 4500).mapToObj(i -> "bulk" + i + "x" + subject.substring(7, 20))
                .toArray(String[]::new);
        TestRows.sentTo(pool, bulk, recipients);

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            V3__hash_message_ids.rewrite(c);
            c.commit();
            try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM send_queue WHERE wamid LIKE 'wamid.%'")) {
                r.next();
                assertThat(r.getLong(1)).as("no clear wamid left in the queue").isZero();
            }
        }
        assertThat(wamidOf(campaign)).isEqualTo(IDS.of(clear));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT subject_id, wamid FROM send_queue WHERE campaign_id = ?")) {
            s.setString(1, bulk);
            int rows = 0;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows++;
                    assertThat(r.getString(2)).isEqualTo(IDS.of("wamid." + bulk + "." + r.getString(1)));
                }
            }
            assertThat(rows).isEqualTo(recipients.length);
        }

        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_STATUS, subject, CloudEvent.of(Topics.WA_STATUS, "wa.status:" + IDS.of(clear) + ":delivered:"
                    + at.getEpochSecond(), "/sohbet/webhook-service", at, subject, new WaStatus(IDS.of(clear), "delivered", at,
                    "106540352242922", "individual", null, null, null, null, null, null, null, List.of())));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        Instant delivered;
        do {
            Thread.sleep(200);
            delivered = deliveredAt(campaign);
        } while (delivered == null && System.currentTimeMillis() < deadline);
        assertThat(delivered).isEqualTo(at);
    }

    String wamidOf(String campaign) throws Exception {
        return single(campaign, "wamid");
    }

    Instant deliveredAt(String campaign) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT delivered_at FROM send_queue WHERE campaign_id = ?")) {
            s.setString(1, campaign);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                java.sql.Timestamp t = r.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    String single(String campaign, String column) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM send_queue WHERE campaign_id = ?")) {
            s.setString(1, campaign);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }
}
