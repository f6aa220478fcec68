package io.sohbet.consent.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.service.AuditChain;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.AuditHead;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Publishes the audit chain's head to {@code audit.head} every {@code sohbet.consent.audit.head-interval} when it moved:
 * the newest entry's sequence number and HMAC, outside the database. A head is published only when the entries since
 * the last published head still fit on it (checked with the keys), so a chain rewritten or cut short in the database is
 * never published as if it were good: the refusal is logged and counted ({@code sohbet_consent_audit_head_refused_total}).
 * One replica at a time publishes (a transaction-scoped advisory lock), so the published sequence numbers only grow.
 */
@ApplicationScoped
public class AuditHeadPublisher {

    private static final Logger LOG = Logger.getLogger(AuditHeadPublisher.class);
    private static final long LOCK = 0x5068626575L;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** A first walk (no head published yet, or a new replica's) reads the whole chain: millions of entries take minutes. */
    private static final Duration WALK_TIMEOUT = Duration.ofMinutes(30);

    private final AuditLog audit;
    private final AuditHeads heads;
    private final Pool database;
    private final MutinyEmitter<CloudEvent> emitter;
    private final String service;
    private final Counter refused;
    private volatile AuditHead published;
    private volatile boolean publishedRead;

    public AuditHeadPublisher(AuditLog audit, AuditHeads heads, Pool database, ConsentConfig config, MeterRegistry metrics,
            @Channel(Channels.AUDIT_HEAD_OUT) MutinyEmitter<CloudEvent> emitter) {
        this.audit = audit;
        this.heads = heads;
        this.database = database;
        this.emitter = emitter;
        this.service = config.serviceName();
        this.refused = Counter.builder("sohbet.consent.audit.head.refused")
                .description("Heads not published because the chain no longer extends the last published head").register(metrics);
    }

    @Scheduled(every = "${sohbet.consent.audit.head-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            publishIfMoved();
        } catch (RuntimeException e) {
            LOG.warnf("audit head not published, will retry: %s", e.getClass().getSimpleName());
        }
    }

    /** Publishes the head if it moved since the last publication and the chain still extends it; the head published, or null. */
    public synchronized AuditHead publishIfMoved() {
        if (!emitter.hasRequests()) {
            return null; // the Kafka sink has not subscribed yet
        }
        if (!publishedRead) {
            published = heads.latest().orElse(null);
            publishedRead = true;
        }
        AuditHead next = database.withTransaction(connection -> connection
                        .query("SELECT pg_try_advisory_xact_lock(" + LOCK + ")").execute()
                        .flatMap(rows -> rows.iterator().next().getBoolean(0) ? publishUnderLock() : Uni.createFrom().nullItem()))
                .await().atMost(WALK_TIMEOUT);
        if (next != null) {
            published = next;
        }
        return next;
    }

    private Uni<AuditHead> publishUnderLock() {
        return audit.newest().flatMap(newest -> {
            if (newest == null || published != null && newest.seq() == published.seq() && newest.hash().equals(published.hash())) {
                return Uni.createFrom().nullItem();
            }
            long from = published == null ? 0 : published.seq();
            return audit.walk(from, published == null ? AuditChain.GENESIS : published.hash()).flatMap(walk -> {
                if (walk.problem() != null) {
                    refused.increment();
                    LOG.errorf("audit head not published: the chain no longer extends the head published at entry %d "
                            + "(entry %d: %s); GET /api/audit/verify", from, walk.problem().seq(), walk.problem().description());
                    return Uni.createFrom().nullItem();
                }
                if (walk.lastSeq() == from) {
                    return Uni.createFrom().nullItem();
                }
                AuditChain.Link last = walk.last();
                AuditHead head = new AuditHead(service, last.seq(), last.hash(), last.keyId(), last.at());
                CloudEvent event = CloudEvent.of(Topics.AUDIT_HEAD, Topics.AUDIT_HEAD + ":" + service + ":" + head.seq(),
                        "/sohbet/" + service, head.at(), null, head);
                return emitter.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withTopic(Topics.AUDIT_HEAD).withKey(service).build()))
                        .ifNoItem().after(SEND_TIMEOUT).fail()
                        .replaceWith(head);
            });
        });
    }
}
