package io.sohbet.segment.messaging;

import db.migration.V5__hash_message_ids;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.MessageIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message ids stay keyed hashes in segment-service: rows of the previous version (clear wamids in {@code sent_message}
 * and in {@code interaction}'s event ids) are hashed by the V5 migration, ids still arriving in clear are hashed on
 * the way in, and the facts keep joining: a redelivered old event is recognised, a later read finds its message.
 */
@QuarkusTest
class MessageIdsTest {

    static final MessageIds IDS = MessageIds.withKey("dev-message-id-key-not-for-production");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void clearIdsAreHashedAtRestAndOnTheWayInAndFactsStillJoin() throws Exception {
        String subject = "sub" + UUID.randomUUID().toString().replace("-", "");
        String sent = "wamid.seg." + subject + ".sent";
        String reply = "wamid.seg." + subject + ".reply";
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);
        // what the previous version stored
        update("INSERT INTO sent_message (wamid, subject_id, content, sent_at) VALUES (?, ?, 'visual', now())", sent, subject);
        update("INSERT INTO interaction (event_id, subject_id, at, kind, content) VALUES (?, ?, now(), 'reply', 'quick')",
                "wa.inbound:" + reply, subject);
        update("INSERT INTO interaction (event_id, subject_id, at, kind, content) VALUES (?, ?, now(), 'read', 'visual')",
                "wa.status:" + sent + ":read:" + at.getEpochSecond(), subject);

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            V5__hash_message_ids.rewrite(c);
            c.commit();
        }
        assertThat(column("SELECT wamid FROM sent_message WHERE subject_id = ?", subject)).containsExactly(IDS.of(sent));
        assertThat(column("SELECT event_id FROM interaction WHERE subject_id = ?", subject)).containsExactlyInAnyOrder(
                "wa.inbound:" + IDS.of(reply), "wa.status:" + IDS.of(sent) + ":read:" + at.getEpochSecond());
        assertThat(column("SELECT wamid FROM sent_message WHERE wamid LIKE 'wamid.%' UNION ALL "
                + "SELECT event_id FROM interaction WHERE event_id LIKE '%wamid.%'", null)).as("no clear wamid left").isEmpty();

        String later = "wamid.seg." + subject + ".later";
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // the old reply redelivered as the previous version published it: recognised, not counted again
            kafka.send(Topics.WA_INBOUND, subject, CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + reply, "/sohbet/webhook-service", at,
                    subject, new WaInbound(reply, "pn", at, "button", "button", null, null, null, null, null, "yes", null, null, null, null,
                            false, null, null, null, null, List.of())));
            // then a new reply on the same partition: once it is stored, the redelivery before it was handled
            String fresh = IDS.of("wamid.seg." + subject + ".fresh");
            kafka.send(Topics.WA_INBOUND, subject, CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + fresh, "/sohbet/webhook-service", at,
                    subject, new WaInbound(fresh, "pn", at, "image", "image", null, null, null, null, null, null, null, null, null, null,
                            false, null, null, null, null, List.of())));
            // a read after the upgrade (hashed, as webhook-service publishes it) of the message sent before
            Instant read = at.plusSeconds(60);
            kafka.send(Topics.WA_STATUS, subject, CloudEvent.of(Topics.WA_STATUS, "wa.status:" + IDS.of(sent) + ":read:"
                    + read.getEpochSecond(), "/sohbet/webhook-service", read, subject, new WaStatus(IDS.of(sent), "read", read, "pn",
                    "individual", null, null, null, null, null, null, null, List.of())));
            // a campaign message published in clear before the upgrade
            kafka.send(Topics.CAMPAIGN_MESSAGE, subject, CloudEvent.of(Topics.CAMPAIGN_MESSAGE, "campaign.message:" + later,
                    "/sohbet/campaign-service", at, subject, new CampaignMessage(later, "c1", "A", "image", at)));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        List<String> events;
        do {
            Thread.sleep(200);
            events = column("SELECT event_id || '=' || coalesce(content, '') FROM interaction WHERE subject_id = ?", subject);
        } while ((events.size() < 4 || column("SELECT wamid FROM sent_message WHERE subject_id = ?", subject).size() < 2)
                && System.currentTimeMillis() < deadline);
        assertThat(events).containsExactlyInAnyOrder("wa.inbound:" + IDS.of(reply) + "=quick",
                "wa.inbound:" + IDS.of("wamid.seg." + subject + ".fresh") + "=visual",
                "wa.status:" + IDS.of(sent) + ":read:" + at.getEpochSecond() + "=visual",
                "wa.status:" + IDS.of(sent) + ":read:" + at.plusSeconds(60).getEpochSecond() + "=visual");
        assertThat(column("SELECT wamid FROM sent_message WHERE subject_id = ?", subject))
                .containsExactlyInAnyOrder(IDS.of(sent), IDS.of(later));
    }

    void update(String sql, String a, String b) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, a);
            s.setString(2, b);
            s.executeUpdate();
        }
    }

    List<String> column(String sql, String subject) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (subject != null) {
                s.setString(1, subject);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }
}
