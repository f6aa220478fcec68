package io.sohbet.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.devstack.Ports;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second reference, the floor of any receiver that keeps what it accepts: {@link MinimalServer}'s verify and
 * parse, then one Kafka record per status (its own JSON, keyed by its recipient) with webhook-service's producer
 * settings ({@code acks=all}, idempotent, snappy, 1 ms linger, 256 KB batches, the same timeouts), and 200 only once Kafka
 * acknowledged every record (503 if one failed). No subject ids, message-id hashing, event envelope, erasure check,
 * metrics or problem answers: what is left is what no webhook receiver that answers only after storing can skip.
 *
 * <p>Where it differs from the service, it is in its own favour, so its rate bounds the service's from above: records
 * that are the status's own JSON (~250 bytes, smaller than the service's CloudEvents), a {@link Mac} per event loop,
 * and as many event loops as Quarkus gives the service (two per core).
 */
final class MinimalPublishingServer implements AutoCloseable {

    static final String TOPIC = "bench.minimal-publishing";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5); // sohbet.webhook.publish-timeout's default
    /** sohbet.webhook.kafka.linger's default; {@code -Dbenchmark.floor-linger-ms} to see what a shorter wait gives. */
    static final int LINGER_MS = Integer.getInteger("benchmark.floor-linger-ms", 1);

    private final Vertx vertx = Vertx.vertx();
    private final ObjectMapper json = new ObjectMapper();
    private final SecretKeySpec key;
    private final KafkaProducer<String, byte[]> producer;
    private final int port = Ports.free();

    MinimalPublishingServer(String secret, String bootstrapServers) throws Exception {
        key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        int timeout = (int) PUBLISH_TIMEOUT.toMillis();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy",
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 250,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout - LINGER_MS,
                ProducerConfig.CLIENT_ID_CONFIG, "benchmark-minimal-publishing"),
                new StringSerializer(), new ByteArraySerializer());
        try {
            producer.partitionsFor(TOPIC);
            vertx.deployVerticle(Receiver::new,
                    new DeploymentOptions().setInstances(2 * Runtime.getRuntime().availableProcessors()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** One per event loop, all listening on the same port (Vert.x spreads the connections over them). */
    private final class Receiver extends AbstractVerticle {

        private final Mac mac;

        Receiver() {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> receive(request, body)))
                    .listen(port).<Void>mapEmpty().onComplete(started);
        }

        private void receive(HttpServerRequest request, Buffer body) {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            try {
                String header = request.getHeader("X-Hub-Signature-256");
                byte[] claimed = HexFormat.of().parseHex(header.substring(7));
                if (!MessageDigest.isEqual(mac.doFinal(body.getBytes()), claimed)) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                for (JsonNode entry : json.readTree(body.getBytes()).path("entry")) {
                    for (JsonNode change : entry.path("changes")) {
                        for (JsonNode status : change.path("value").path("statuses")) {
                            records.add(new ProducerRecord<>(TOPIC, status.path("recipient_id").asText(),
                                    json.writeValueAsBytes(status)));
                        }
                    }
                }
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
                return;
            }
            publish(records, request.response());
        }
    }

    private void publish(List<ProducerRecord<String, byte[]>> records, HttpServerResponse response) {
        if (records.isEmpty()) {
            response.setStatusCode(200).end("{}");
            return;
        }
        Context caller = Vertx.currentContext();
        AtomicInteger pending = new AtomicInteger(records.size());
        AtomicBoolean settled = new AtomicBoolean();
        Runnable fail = () -> {
            if (settled.compareAndSet(false, true)) {
                caller.runOnContext(ignored -> response.setStatusCode(503).end("{}"));
            }
        };
        try {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        fail.run();
                    } else if (pending.decrementAndGet() == 0 && settled.compareAndSet(false, true)) {
                        caller.runOnContext(ignored -> response.setStatusCode(200).end("{}"));
                    }
                });
            }
        } catch (RuntimeException e) {
            fail.run();
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
