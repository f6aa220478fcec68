package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.campaign.service.SendingTest.QueueRow;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaInbound;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sohbet.campaign.service.SendingTest.awaitRows;
import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.sentTo;
import static io.sohbet.campaign.service.SendingTest.wa;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Free-form messages and WhatsApp's 24-hour customer service window: a text goes only to a customer who wrote within
 * the last 24 hours (as {@code wa.inbound} told this service), everyone else is skipped with their own status, and
 * Meta's 131047 (the window closed after all) skips the recipient the same way, not as a failure to retry.
 */
@QuarkusTest
class CustomerWindowTest {

    @Inject
    Pool pool;

    static CloudEvent inbound(String subject, Instant at) {
        String wamid = "mid_in" + Long.toHexString(System.nanoTime());
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/sohbet/webhook-service", at, subject,
                new WaInbound(wamid, "106540352242922", at, "text", "text", null, "sealed", 12, null, null, null, null, null, null, null,
                        false, null, null, null, null, null));
    }

    @Test
    void textGoesOnlyInsideTheCustomerServiceWindowAnd131047SkipsTheRecipient() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("window", 5, s);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // s0 wrote an hour ago; s1 30 hours ago; s2 never; s3 an hour ago but Meta says the window is closed; s4 wrote an
        // hour ago and was erased since (the event arrives late: it must not bring them back)
        PeerStandIns.ERASED.put(s.get(4), now.minusSeconds(60));
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_INBOUND, s.get(0), inbound(s.get(0), now.minus(Duration.ofHours(1))));
            kafka.send(Topics.WA_INBOUND, s.get(1), inbound(s.get(1), now.minus(Duration.ofHours(30))));
            kafka.send(Topics.WA_INBOUND, s.get(3), inbound(s.get(3), now.minus(Duration.ofHours(1))));
            kafka.send(Topics.WA_INBOUND, s.get(4), inbound(s.get(4), now.minus(Duration.ofHours(1))));
        }
        awaitWindows(List.of(s.get(0), s.get(3)), Duration.ofSeconds(20));
        PeerStandIns.simulator.script(wa(s.get(3)), new CloudApiSimulator.Reject(131047,
                "Re-engagement message", "More than 24 hours have passed since the recipient last replied to the sender number."));
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "text", "text", "Merhaba {{firstName}}, siparişiniz yolda"))));
        String id = launch(d);
        Map<String, QueueRow> rows = awaitRows(pool, id, r -> r.size() == 5 && r.values().stream()
                .noneMatch(q -> Set.of("queued", "sending").contains(q.status())), Duration.ofSeconds(30));
        assertThat(rows.get(s.get(0)).status()).isEqualTo("sent");
        assertThat(rows.get(s.get(1))).extracting(QueueRow::status).isEqualTo("skipped-no-window");
        assertThat(rows.get(s.get(1)).errorTitle()).contains("24-hour customer service window");
        assertThat(rows.get(s.get(2)).status()).isEqualTo("skipped-no-window");
        assertThat(rows.get(s.get(2)).errorTitle()).startsWith("no message from the customer known");
        assertThat(rows.get(s.get(3))).extracting(QueueRow::status, QueueRow::errorCode).containsExactly("skipped-no-window", 131047);
        assertThat(rows.get(s.get(3)).attempts()).as("not retried").isEqualTo(1);
        assertThat(rows.get(s.get(4)).status()).isEqualTo("skipped-no-window");
        assertThat(windowOf(s.get(4))).as("a late event about an erased person is dropped").isZero();
        assertThat(sentTo(s)).extracting(CloudApiSimulator.Sent::to).containsExactly(wa(s.get(0)));
        SendingTest.awaitStatus(id, "completed", Duration.ofSeconds(20));
    }

    void awaitWindows(List<String> subjects, Duration timeout) throws Throwable {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (subjects.stream().mapToLong(this::windowOfUnchecked).sum() < subjects.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(subjects.stream().mapToLong(this::windowOfUnchecked).sum()).isEqualTo(subjects.size());
    }

    long windowOfUnchecked(String subject) {
        try {
            return windowOf(subject);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    long windowOf(String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM customer_window WHERE subject_id = $1")
                .execute(Tuple.of(subject)).map(r -> r.iterator().next().getLong(0)));
    }
}
