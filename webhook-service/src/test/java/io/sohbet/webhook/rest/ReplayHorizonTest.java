package io.sohbet.webhook.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.webhook.service.SignatureVerifier;
import io.sohbet.webhook.service.WhatsAppIngestion;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * With Meta's retry horizon (7 days and an hour, the production default), a signed delivery holding an item older than
 * that is answered 200 for the rest, and the old item is dropped as a replay and counted.
 */
@QuarkusTest
@TestProfile(ReplayHorizonTest.MetaHorizon.class)
class ReplayHorizonTest {

    public static class MetaHorizon implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sohbet.webhook.whatsapp.replay-horizon", "P7DT1H");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void anItemOlderThanMetasRetryHorizonIsDroppedAndCountedTheRestIsTakenIn() {
        long now = Instant.now().getEpochSecond();
        long eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).getEpochSecond();
        String run = Long.toString(System.nanoTime());
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{"
                + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"908505551234\",\"phone_number_id\":\"106540352242922\"},\"statuses\":["
                + status("wamid.old." + run, eightDaysAgo) + "," + status("wamid.fresh." + run, now) + "]}}]}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        double replays = replays();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS)) {
            WhatsAppWebhookResourceTest.post(bytes, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, bytes))
                    .statusCode(200).body("events", equalTo(1));
            var seen = kafka.await(1, r -> r.value().dataAs(WaStatus.class).timestamp().getEpochSecond() == now
                    || r.value().dataAs(WaStatus.class).timestamp().getEpochSecond() == eightDaysAgo, Duration.ofSeconds(20));
            assertThat(seen.get(0).value().dataAs(WaStatus.class).timestamp().getEpochSecond()).isEqualTo(now);
            assertThat(kafka.drain(Duration.ofSeconds(2)))
                    .noneMatch(r -> r.value().dataAs(WaStatus.class).timestamp().getEpochSecond() == eightDaysAgo);
        }
        assertThat(replays()).isEqualTo(replays + 1);
    }

    private static String status(String wamid, long timestamp) {
        return "{\"id\":\"" + wamid + "\",\"status\":\"read\",\"timestamp\":\"" + timestamp + "\",\"recipient_id\":\"905321112233\"}";
    }

    private double replays() {
        Counter c = registry.find(WhatsAppIngestion.REPLAYS).tag("topic", Topics.WA_STATUS).counter();
        return c == null ? 0.0 : c.count();
    }
}
