package io.sohbet.webhook.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.webhook.Fixtures;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Cloud API simulator's webhooks are what Meta sends: the real endpoint accepts them and publishes their events. */
@QuarkusTest
class SimulatorWebhooksTest {

    @TestHTTPResource("/webhooks/whatsapp")
    URI webhook;

    @Test
    void theSimulatorsStatusesAndRepliesArriveAsEvents() throws Exception {
        CloudApiSimulator.Config local = CloudApiSimulator.Config.local(webhook);
        try (CloudApiSimulator simulator = CloudApiSimulator.start(new CloudApiSimulator.Config(local.accessToken(), "dev-app-secret",
                local.wabaId(), local.phoneNumberId(), local.displayNumber(), webhook, 80), 0);
                KafkaProbe kafka = KafkaProbe.shared().watch(Topics.WA_STATUS, Topics.WA_INBOUND)) {
            simulator.script("905321119988", new CloudApiSimulator.Deliver(Duration.ofMillis(50)));
            HttpResponse<String> sent = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            simulator.baseUrl().resolve("/v23.0/" + local.phoneNumberId() + "/messages"))
                    .header("Authorization", "Bearer " + local.accessToken())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messaging_product\":\"whatsapp\",\"to\":\"+905321119988\","
                            + "\"type\":\"text\",\"text\":{\"body\":\"Merhaba\"}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(200);
            // both arrive as their keyed hashes
            String wamid = Fixtures.MESSAGE_IDS.of(simulator.sent().get(0).wamid());
            String reply = Fixtures.MESSAGE_IDS.of(simulator.customerSays("905321119988", "Ayşe", "Teşekkürler"));

            // one wait for both kinds: a probe drops what it polls while waiting for something else
            var records = kafka.await(4, r -> (r.topic().equals(Topics.WA_STATUS) && wamid.equals(r.value().dataAs(WaStatus.class).wamid()))
                    || (r.topic().equals(Topics.WA_INBOUND) && reply.equals(r.value().dataAs(WaInbound.class).wamid())), Duration.ofSeconds(30));
            List<String> statuses = records.stream().filter(r -> r.topic().equals(Topics.WA_STATUS))
                    .map(r -> r.value().dataAs(WaStatus.class).status()).toList();
            assertThat(statuses).containsExactlyInAnyOrder("sent", "delivered", "read");
            assertThat(records.stream().filter(r -> r.topic().equals(Topics.WA_INBOUND))).hasSize(1);
            assertThat(simulator.webhooksRetried()).isZero();
        }
    }
}
