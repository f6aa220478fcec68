package io.sohbet.campaign.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A status that reaches a message before the sender recorded Meta's answer (or after the worker was killed) makes it
 * sent, and its recipient counts in the messaging tier like any other.
 */
@QuarkusTest
class StatusListenerTest {

    @Inject
    Pool pool;

    @Inject
    StatusListener statuses;

    @Inject
    CampaignConfig config;

    @Test
    void aStatusThatArrivesWhileTheMessageIsStillSendingPutsItsRecipientInTheTiersWindow() throws Throwable {
        String campaign = "c-" + UUID.randomUUID();
        String subject = "subject" + UUID.randomUUID().toString().replace("-", "");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(5);
        long row = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO campaign (id, name, status, "
                        + "definition, created_at, updated_at) VALUES ($1, 'status first', 'running', '{}'::jsonb, now(), now())")
                .execute(Tuple.of(campaign))
                .chain(() -> pool.preparedQuery("INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at, "
                        + "claimed_at) VALUES ($1, $2, 'a', 'all', 'sending', now(), now()) RETURNING id").execute(Tuple.of(campaign, subject)))
                .map(rows -> rows.iterator().next().getLong("id")));

        WaStatus delivered = new WaStatus("wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgSQkFCQ0RFRjAxMjM0NTY3ODkA", "delivered", at,
                "1234567890", "individual", null, null, "marketing", "regular", "PMP", true, "sohbet:" + row, null);
        VertxContextSupport.subscribeAndAwait(() -> statuses.statuses(List.of(
                CloudEvent.of(Topics.WA_STATUS, "wa.status:" + UUID.randomUUID(), "/sohbet/webhook-service", at, subject, delivered))));

        String status = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT status FROM send_queue WHERE id = $1")
                .execute(Tuple.of(row)).map(rows -> rows.iterator().next().getString("status")));
        assertThat(status).isEqualTo("sent");
        long inWindow = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM recipient_window "
                        + "WHERE subject_id = $1 AND last_sent_at = $2").execute(Tuple.of(subject, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0)));
        assertThat(inWindow).as("the recipient counts in the tier from the status's time").isEqualTo(1);
    }

    /**
     * Meta usually reports a free-form message outside the 24-hour customer service window after accepting it: a
     * {@code failed} status with 131047. The recipient is skipped for the window, as when the send itself is refused.
     */
    @Test
    void anAsynchronous131047SkipsTheRecipientForTheWindow() throws Throwable {
        String campaign = "c-" + UUID.randomUUID();
        String subject = "subject" + UUID.randomUUID().toString().replace("-", "");
        String wamid = "wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgS" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(5);
        long row = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO campaign (id, name, status, "
                        + "definition, created_at, updated_at) VALUES ($1, 'window closed', 'running', '{}'::jsonb, now(), now())")
                .execute(Tuple.of(campaign))
                .chain(() -> pool.preparedQuery("INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at, "
                        + "claimed_at, sent_at, wamid, message_type) VALUES ($1, $2, 'a', 'all', 'sent', now(), now(), now(), $3, 'text') "
                        + "RETURNING id").execute(Tuple.of(campaign, subject, MessageIds.withKey(config.messageIdKey()).of(wamid))))
                .map(rows -> rows.iterator().next().getLong("id")));

        WaStatus failed = new WaStatus(wamid, "failed", at, "1234567890", "individual", null, null, null, null, null, null,
                "sohbet:" + row, List.of(new WaError(131047, "Re-engagement message",
                        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.", null)));
        CloudEvent event = CloudEvent.of(Topics.WA_STATUS, "wa.status:" + UUID.randomUUID(), "/sohbet/webhook-service", at, subject, failed);
        VertxContextSupport.subscribeAndAwait(() -> statuses.statuses(List.of(event)));
        VertxContextSupport.subscribeAndAwait(() -> statuses.statuses(List.of(event))); // redelivered: nothing changes

        Row after = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT status, error_code, failed_at FROM send_queue "
                + "WHERE id = $1").execute(Tuple.of(row)).map(rows -> rows.iterator().next()));
        assertThat(after.getString("status")).isEqualTo("skipped-no-window");
        assertThat(after.getInteger("error_code")).isEqualTo(131047);
        assertThat(after.getValue("failed_at")).isNull();
    }
    /**
     * Meta's error texts are stored as given, except what a text column cannot take: a U+0000 (PostgreSQL refuses it,
     * and the record was dead-lettered) is dropped, and a long text is cut at 300 characters, not inside a surrogate pair.
     */
    @Test
    void aFailedStatusWhoseErrorTextHoldsU0000OrALongTextIsRecorded() throws Throwable {
        String campaign = "c-" + UUID.randomUUID();
        String subject = "subject" + UUID.randomUUID().toString().replace("-", "");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(5);
        long[] rows = new long[2];
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO campaign (id, name, status, "
                + "definition, created_at, updated_at) VALUES ($1, 'odd errors', 'running', '{}'::jsonb, now(), now())")
                .execute(Tuple.of(campaign)));
        for (int i = 0; i < 2; i++) {
            String recipient = subject + i;
            rows[i] = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO send_queue (campaign_id, subject_id, "
                    + "variant, phase, status, due_at, claimed_at) VALUES ($1, $2, 'a', 'all', 'sending', now(), now()) RETURNING id")
                    .execute(Tuple.of(campaign, recipient)).map(r -> r.iterator().next().getLong("id")));
        }
        String emoji = "\ud83d\ude00";
        List<CloudEvent> events = new java.util.ArrayList<>();
        events.add(failedStatus(rows[0], at, subject + 0, new WaError(131026, "Message\u0000 undeliverable", "x\u0000y", null)));
        // "Z" then emoji: the 300th character is the first half of a pair
        events.add(failedStatus(rows[1], at, subject + 1, new WaError(131026, "Z" + emoji.repeat(200), null, null)));
        VertxContextSupport.subscribeAndAwait(() -> statuses.statuses(events));

        List<Row> after = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT status, error_title FROM send_queue "
                + "WHERE campaign_id = $1 ORDER BY id").execute(Tuple.of(campaign)).map(r -> {
                    List<Row> list = new java.util.ArrayList<>();
                    r.forEach(list::add);
                    return list;
                }));
        assertThat(after).extracting(r -> r.getString("status")).containsExactly("failed", "failed");
        assertThat(after.get(0).getString("error_title")).isEqualTo("Message undeliverable: xy");
        assertThat(after.get(1).getString("error_title")).isEqualTo("Z" + emoji.repeat(149)).hasSize(299);
    }

    private static CloudEvent failedStatus(long row, Instant at, String subject, WaError error) {
        String wamid = "wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgS" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
        WaStatus failed = new WaStatus(wamid, "failed", at, "1234567890", "individual", null, null, null, null, null, null,
                "sohbet:" + row, List.of(error));
        return CloudEvent.of(Topics.WA_STATUS, "wa.status:" + UUID.randomUUID(), "/sohbet/webhook-service", at, subject, failed);
    }
}
