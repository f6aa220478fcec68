package io.sohbet.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
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
 * settings ({@code acks=all}, idempotent, lz4, 2 ms linger, 256 KB batches), and 200 only once Kafka acknowledged every
 * record (503 if one failed). No subject ids, message-id hashing, event envelope, erasure check or metrics: what is
 * left is what no webhook receiver that answers only after storing can skip.
 */
final class MinimalPublishingServer implements AutoCloseable {

    static final String TOPIC = "bench.minimal-publishing";

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final KafkaProducer<String, byte[]> producer;

    MinimalPublishingServer(String secret, String bootstrapServers) throws Exception {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "benchmark-minimal-publishing"),
                new StringSerializer(), new ByteArraySerializer());
        producer.partitionsFor(TOPIC);
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                byte[] expected = mac.doFinal(body.getBytes());
                String header = request.getHeader("X-Hub-Signature-256");
                byte[] claimed = HexFormat.of().parseHex(header.substring(7));
                if (!MessageDigest.isEqual(expected, claimed)) {
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
        })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void publish(List<ProducerRecord<String, byte[]>> records, HttpServerResponse response) {
        if (records.isEmpty()) {
            response.setStatusCode(200).end("{}");
            return;
        }
        Context caller = Vertx.currentContext();
        AtomicInteger pending = new AtomicInteger(records.size());
        AtomicBoolean settled = new AtomicBoolean();
        for (ProducerRecord<String, byte[]> record : records) {
            producer.send(record, (metadata, failure) -> {
                if ((failure != null || pending.decrementAndGet() == 0) && settled.compareAndSet(false, true)) {
                    int status = failure == null ? 200 : 503;
                    caller.runOnContext(ignored -> response.setStatusCode(status).end("{}"));
                }
            });
        }
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close();
        producer.close(Duration.ofSeconds(5));
    }
}
