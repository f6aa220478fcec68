package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sohbet.devstack.KafkaBroker;
import io.sohbet.devstack.Ports;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.Fixtures;
import io.sohbet.webhook.service.SignatureVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the broker stopped, a webhook is answered 503 (Meta retries), never 200: nothing is acknowledged that was not
 * stored. When the broker is back, the same delivery is accepted without a restart of the service.
 */
@QuarkusTest
@TestProfile(BrokerOutageTest.OwnBroker.class)
class BrokerOutageTest {

    /**
     * A broker of this test's own, which it stops and starts again on the same port and data. Quarkus loads this
     * class twice (profile and test class loaders), so the broker is found through system properties.
     */
    public static class OwnBroker implements QuarkusTestProfile {

        private static final String PORT = "sohbet.test.outage.port";
        private static final String DATA = "sohbet.test.outage.data";
        private static final String PID = "sohbet.test.outage.pid";

        static synchronized String start() {
            try {
                if (System.getProperty(PORT) == null) {
                    System.setProperty(PORT, String.valueOf(Ports.free()));
                    System.setProperty(DATA, Files.createTempDirectory("sohbet-outage-").toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path data = Path.of(System.getProperty(DATA));
            KafkaBroker broker = KafkaBroker.start(Integer.parseInt(System.getProperty(PORT)), data.resolve("kafka"),
                    data.resolve("kafka.log"));
            broker.createSohbetTopics();
            System.setProperty(PID, String.valueOf(broker.pid()));
            return broker.bootstrapServers();
        }

        /** Sends the broker a signal ({@code STOP} pauses it with its connections open, {@code CONT} resumes it). */
        static void signal(String name) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, System.getProperty(PID)).inheritIO().start();
                assertThat(kill.waitFor()).as("kill -" + name).isZero();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static void stop() {
            ProcessHandle.of(Long.parseLong(System.getProperty(PID))).ifPresent(broker -> {
                broker.destroy();
                broker.onExit().join();
            });
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            String bootstrap = System.getProperty(PORT) == null ? start() : "localhost:" + System.getProperty(PORT);
            // the ingestion producer's own setting: wins over the shared broker of the module's test resource
            return Map.of("sohbet.webhook.kafka.bootstrap-servers", bootstrap,
                    "sohbet.webhook.publish-timeout", "3s");
        }
    }

    @AfterAll
    static void stopBroker() {
        OwnBroker.stop();
    }

    @Test
    void answers503WhileTheBrokerIsDownAndRecoversByItself() {
        byte[] body = Fixtures.own("all_statuses.json");
        String signature = SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, body);
        WhatsAppWebhookResourceTest.post(body, signature).statusCode(200);

        // a broker that holds its connections but never answers (paused): the event loop's sweep answers 503 at the
        // publish timeout (3 s here), before the producer's own delivery timeout (a second later) would
        OwnBroker.signal("STOP");
        long paused = System.nanoTime();
        try {
            WhatsAppWebhookResourceTest.post(body, signature).statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", "5").body("detail", org.hamcrest.Matchers.startsWith("Kafka did not acknowledge"));
        } finally {
            OwnBroker.signal("CONT");
        }
        assertThat((System.nanoTime() - paused) / 1_000_000).as("answered at the publish timeout").isBetween(2_900L, 4_000L);

        OwnBroker.stop();
        long started = System.nanoTime();
        WhatsAppWebhookResourceTest.post(body, signature).statusCode(503).contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", "5");
        assertThat((System.nanoTime() - started) / 1_000_000).as("answered within the publish timeout").isLessThan(10_000);

        OwnBroker.start();
        long deadline = System.currentTimeMillis() + 60_000;
        int status = 0;
        while (status != 200 && System.currentTimeMillis() < deadline) {
            status = WhatsAppWebhookResourceTest.post(body, signature).extract().statusCode();
            assertThat(status).isIn(200, 503);
        }
        assertThat(status).as("accepted again once the broker is back").isEqualTo(200);
    }
}
