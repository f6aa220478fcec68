package io.sohbet.webhook.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.netty.util.concurrent.FastThreadLocal;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.webhook.config.WebhookConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.common.annotation.Identifier;
import io.sohbet.kit.messaging.KafkaClientSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a webhook's events to their topics, keyed by subject id, and completes only when Kafka has acknowledged
 * every one of them ({@code acks=all}, idempotent producer), or fails after the configured timeout.
 *
 * <p>A plain Kafka producer rather than a SmallRye emitter: this is the hot path of ingestion, and one producer
 * shared by all requests batches the records of concurrent webhooks together (measured in docs/benchmarks.md).
 */
@ApplicationScoped
@Startup // the producer and its compression are checked at start, not at the first webhook
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    /** The topics webhook-service publishes to. */
    static final List<String> TOPICS = List.of(Topics.WA_INBOUND, Topics.WA_STATUS, Topics.WA_CONTACT,
            Topics.WA_PREFERENCE, Topics.WA_ACCOUNT, Topics.COMMERCE_EVENT, Topics.LINK_CLICK);

    private final KafkaProducer<String, byte[]> producer;
    private static final CloudEventSerializer SERIALIZER = new CloudEventSerializer();
    private final Duration timeout;
    private final Timer latency;
    private final Map<String, Counter> published = new HashMap<>();
    /** Per event-loop thread: the deliveries it waits for (Netty's thread-local, the cheaper one on its threads). */
    private final FastThreadLocal<Waiting> waiting = new FastThreadLocal<>();

    public EventPublisher(WebhookConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Identifier(KafkaClientSettings.DEFAULT) Map<String, Object> kafka, MeterRegistry registry) {
        // the same security (SASL, TLS) as every other Kafka client of the service
        Map<String, Object> settings = new HashMap<>(KafkaClientSettings.security(kafka));
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers().orElse(bootstrapServers));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // sohbet.webhook.kafka.linger, 1 ms by default: longer means fewer, larger batches (docs/benchmarks.md)
        int linger = (int) config.kafka().linger().toMillis();
        if (linger < 0 || linger >= Math.max(1_000, config.publishTimeout().toMillis()) / 2) {
            throw new IllegalStateException("sohbet.webhook.kafka.linger (" + config.kafka().linger() + ") must be at least 0 and under half of "
                    + "sohbet.webhook.publish-timeout (" + config.publishTimeout() + "): a webhook is answered only after Kafka acknowledged it");
        }
        settings.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        // snappy by default: less for the broker to receive and write, its buffers reused (docs/benchmarks.md)
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, checkedCompression(config.kafka().compression()).name);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // never hold the event loop long: metadata is fetched at start, a dead broker fails sends instead
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 250);
        // the producer gives up on a record a second after the webhook was answered 503 (by the sweep, at the publish
        // timeout), not 25 s later: a record retried after the 503 could still be stored (harmless, ids are
        // deterministic, but "503 = not stored" should mostly hold)
        long deliveryTimeout = Math.max(1_000, config.publishTimeout().toMillis()) + 1_000;
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deliveryTimeout - linger);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "webhook-service-events");
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        this.timeout = config.publishTimeout();
        this.latency = Timer.builder("sohbet.webhook.publish.latency")
                .description("Time from publishing a webhook's events until Kafka acknowledged all of them")
                .publishPercentiles(0.5, 0.99).register(registry);
        for (String topic : TOPICS) {
            published.put(topic, Counter.builder("sohbet.webhook.events").tag("topic", topic)
                    .description("Events published and acknowledged by Kafka").register(registry));
        }
        warmUp();
    }

    /** One event, already encoded as a CloudEvent, to go to {@code topic} with Kafka key {@code key}. */
    public record Outgoing(String topic, String key, byte[] value) {

        public static Outgoing of(String topic, String key, CloudEvent event) {
            return new Outgoing(topic, key, SERIALIZER.serialize(topic, event));
        }
    }

    /**
     * Sends every event and completes once Kafka acknowledged all of them (on the caller's Vert.x context, when it has
     * one), or fails with the first failure or, after the publish timeout, {@link PublishTimeoutException}.
     */
    public Uni<Void> publishAll(List<Outgoing> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return publishAllOffContext(events);
        }
        return Uni.createFrom().emitter(emitter -> send(events, caller).onComplete(done -> {
            if (done.succeeded()) {
                emitter.complete(null);
            } else {
                emitter.fail(done.cause());
            }
        }));
    }

    /**
     * As {@link #publishAll}, as a Vert.x future completed on the caller's context: for the WhatsApp webhook route,
     * which answers without Mutiny's operators and their context propagation per delivery (~6 % of its CPU,
     * docs/benchmarks.md). Off a Vert.x context it completes on Kafka's thread or the timeout's.
     */
    public Future<Void> publish(List<Outgoing> events) {
        if (events.isEmpty()) {
            return Future.succeededFuture();
        }
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return Future.fromCompletionStage(publishAllOffContext(events).subscribeAsCompletionStage());
        }
        return send(events, caller);
    }

    /**
     * On an event loop (the webhook routes): one callback object per delivery, listed in the loop's {@link Waiting}
     * deliveries, which one periodic sweep gives up on after the publish timeout. On another context (a worker's), a
     * Vert.x timer of its own.
     */
    private Future<Void> send(List<Outgoing> events, Context caller) {
        Promise<Void> acknowledged = Promise.promise();
        new Acknowledgements(events, caller, acknowledged).send();
        return acknowledged.future();
    }

    /**
     * The waiting deliveries of the calling event loop's thread, and its sweep, set up at its first delivery: a periodic
     * timer of the event loop's own context (not of the first delivery's duplicated one, whose request it would outlive).
     */
    private Waiting waiting(ContextInternal loop) {
        Waiting list = waiting.get();
        if (list == null) {
            list = new Waiting(timeout.toNanos());
            waiting.set(list);
            Waiting swept = list;
            loop.unwrap().setPeriodic(sweepEvery(timeout), id -> swept.sweep(System.nanoTime()));
        }
        return list;
    }

    /** How often the waiting deliveries are swept: a tenth of the timeout, between 10 and 100 ms. */
    static long sweepEvery(Duration timeout) {
        return Math.max(10, Math.min(100, timeout.toMillis() / 10));
    }

    /** The acknowledgements of one delivery's events, completing its promise once on the caller's context. */
    private final class Acknowledgements extends Waiting.Entry implements Callback {

        private final List<Outgoing> events;
        private final Context caller;
        private final Promise<Void> promise;
        private final AtomicInteger pending;
        private final AtomicBoolean settled = new AtomicBoolean();
        /** The event loop's list this delivery waits in, or {@code null} (a worker's context: {@link #timer}). */
        private Waiting list;
        private long timer;

        Acknowledgements(List<Outgoing> events, Context caller, Promise<Void> promise) {
            super(System.nanoTime());
            this.events = events;
            this.caller = caller;
            this.promise = promise;
            this.pending = new AtomicInteger(events.size());
        }

        void send() {
            ContextInternal context = (ContextInternal) caller;
            // on the caller's event loop thread itself (not a worker running for an event-loop context): its list
            if (context.isEventLoopContext() && context.nettyEventLoop().inEventLoop()) {
                list = waiting(context);
                list.add(this);
            } else {
                timer = caller.owner().setTimer(timeout.toMillis(), id -> expired());
            }
            try {
                for (Outgoing out : events) {
                    producer.send(new ProducerRecord<>(out.topic(), out.key(), out.value()), this);
                }
            } catch (RuntimeException e) {
                settle(e);
            }
        }

        /** Waited the publish timeout: answered 503 (on the delivery's own context), whatever Kafka says later. */
        @Override
        void expired() {
            if (settled.compareAndSet(false, true)) {
                caller.runOnContext(ignored -> promise.fail(new PublishTimeoutException(timeout)));
            }
        }

        /** Kafka's I/O thread, once per record. */
        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            if (failure != null) {
                settle(failure);
            } else if (pending.decrementAndGet() == 0) {
                settle(null);
            }
        }

        private void settle(Throwable failure) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            caller.runOnContext(ignored -> {
                if (list != null) {
                    list.remove(this);
                } else {
                    caller.owner().cancelTimer(timer);
                }
                if (failure != null) {
                    promise.fail(failure);
                } else {
                    acknowledged(events, started);
                    promise.complete();
                }
            });
        }
    }

    private void acknowledged(List<Outgoing> events, long started) {
        latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        // one increment per run of events to the same topic (a delivery of statuses: one for its eight)
        String topic = null;
        int run = 0;
        for (Outgoing out : events) {
            if (!out.topic().equals(topic)) {
                count(topic, run);
                topic = out.topic();
                run = 0;
            }
            run++;
        }
        count(topic, run);
    }

    private void count(String topic, int events) {
        Counter counter = topic == null ? null : published.get(topic);
        if (counter != null) {
            counter.increment(events);
        }
    }

    /** From a thread without a Vert.x context (tests, workers): a future, and Mutiny's timeout. */
    private Uni<Void> publishAllOffContext(List<Outgoing> events) {
        long started = System.nanoTime();
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(events.size());
        try {
            for (Outgoing out : events) {
                producer.send(new ProducerRecord<>(out.topic(), out.key(), out.value()),
                        (metadata, failure) -> {
                            if (failure != null) {
                                all.completeExceptionally(failure);
                            } else if (pending.decrementAndGet() == 0) {
                                all.complete(null);
                            }
                        });
            }
        } catch (RuntimeException e) {
            all.completeExceptionally(e);
        }
        return Uni.createFrom().completionStage(all)
                .ifNoItem().after(timeout).failWith(() -> new PublishTimeoutException(timeout))
                .invoke(() -> acknowledged(events, started));
    }

    /**
     * {@code type}, once a few bytes went through it: snappy and zstd are native libraries unpacked into
     * {@code java.io.tmpdir} on first use, and one that cannot load would otherwise fail every webhook's
     * {@code send} (Kafka wraps the codec's failure in a {@code KafkaException}) while the service looks ready.
     * The bean is created at start ({@link Startup}), so the start fails instead.
     */
    static CompressionType checkedCompression(CompressionType type) {
        return checked(type, Compression.of(type).build());
    }

    /** {@link #checkedCompression} with the codec given: a test hands it one that fails as a missing library does. */
    static CompressionType checked(CompressionType type, Compression codec) {
        ByteBufferOutputStream buffer = new ByteBufferOutputStream(256);
        try (OutputStream out = codec.wrapForOutput(buffer, RecordBatch.CURRENT_MAGIC_VALUE)) {
            out.write("sohbet".getBytes(StandardCharsets.US_ASCII)); // closing flushes: the native code runs
        } catch (IOException | RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            // snappy-java's SnappyError is an Error; Kafka's codecs may wrap it in a KafkaException
            throw new IllegalStateException("sohbet.webhook.kafka.compression=" + type.name + " does not work in this "
                    + "process (" + e + "); choose lz4 or gzip (plain Java), or give java.io.tmpdir a writable directory "
                    + "that may hold a native library", e);
        }
        return type;
    }

    private void warmUp() {
        for (String topic : TOPICS) {
            try {
                producer.partitionsFor(topic);
            } catch (RuntimeException e) {
                LOG.warnf("no metadata yet for %s (%s); sends will retry", topic, e.getClass().getSimpleName());
            }
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
