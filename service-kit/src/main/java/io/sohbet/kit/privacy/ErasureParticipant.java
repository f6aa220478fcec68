package io.sohbet.kit.privacy;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasure;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.kit.ProcessedEvents;
import io.sohbet.kit.keys.ErasureAcknowledgement;
import io.sohbet.kit.keys.SubjectKeys;
import io.sohbet.kit.messaging.ConsumerRetry;
import io.sohbet.kit.messaging.TransientFailures;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Carries out a data-subject erasure in a service that declared its {@link SubjectData}. A service that caches data
 * keys drops the subject's key from this replica at once and first waits until no replica can hold it or take the
 * person for "not erased" any more, so an event that slipped past the erasure check before the deletes cannot be
 * written after them; the wait is counted from the request's Kafka record timestamp ({@link ErasureAcknowledgement}),
 * so a backlog of requests waits once, not once per request. Then, in one transaction: the request is recorded as
 * processed, the service's fold step runs and the declared tables' rows are deleted, and none of the declared
 * linkable ids the subject's rows held may be left anywhere in their tables ({@link LinkableIds}). A transaction that
 * failed for another reason than the infrastructure (a row of the person written while the fold ran) is retried with
 * backoff, {@link #RETRIES} times at most; a transient failure (the database restarting, a deadlock) is retried like
 * every consumer's ({@link ConsumerRetry}, the whole request again). Only then does the request go to the dead-letter
 * topic. Then the acknowledgement is published; the incoming record is committed only once it
 * is on Kafka. A redelivered request deletes nothing more and is acknowledged again
 * with the same event id. A service that declares no tables (webhook-service) only waits and acknowledges.
 *
 * <p>Opt-in at build time: only services built with {@code sohbet.privacy.participant=true} have this consumer
 * (consent-service, which publishes the requests, must not consume them).
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD)
@IfBuildProperty(name = ErasureParticipant.ENABLED, stringValue = "true")
public class ErasureParticipant {

    public static final String ENABLED = "sohbet.privacy.participant";

    private static final Logger LOG = Logger.getLogger(ErasureParticipant.class);

    /** Retries of an erasure transaction that failed but not transiently, 1 s after the first failure and doubling (with jitter): ~31 s in all. */
    static final int RETRIES = 5;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final SubjectData declared;
    private final Instance<SubjectKeys> keys;
    private final Instance<Pool> database;

    public ErasureParticipant(SubjectData declared, Instance<SubjectKeys> keys, Instance<Pool> database) {
        this.declared = declared;
        this.keys = keys;
        this.database = database;
    }

    @Incoming(Channels.PRIVACY_ERASURE_IN)
    @Outgoing(Channels.PRIVACY_ERASURE_ACK_OUT)
    public Uni<Record<String, CloudEvent>> erase(CloudEvent event, IncomingKafkaRecordMetadata<String, CloudEvent> record) {
        PrivacyErasure erasure = event.dataAs(PrivacyErasure.class);
        String subject = event.subject();
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return keysForgotten(subject, record.getTimestamp()).chain(() -> declared.tables().isEmpty() ? Uni.createFrom().item(0L)
                        : retried(onContext(context).chain(() -> database.get().withTransaction(
                                tx -> eraseOnce(tx, event.id(), subject))), erasure.requestId()))
                .map(affected -> {
                    LOG.infof("erasure request %s: %d rows deleted or folded", erasure.requestId(), affected);
                    Instant now = Instant.now();
                    String service = declared.service();
                    return Record.of(subject, CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                            "ack:" + erasure.requestId() + ":" + service, "/sohbet/" + service, now, subject,
                            new PrivacyErasureAck(erasure.requestId(), service, now, affected)));
                });
    }

    private Uni<Void> keysForgotten(String subject, Instant published) {
        if (!declared.cachesKeys()) {
            return Uni.createFrom().voidItem();
        }
        SubjectKeys cached = keys.get();
        cached.evict(subject);
        return ErasureAcknowledgement.whenKeysForgotten(cached, published);
    }

    /**
     * {@code attempt}, subscribed to again after a failure that is not transient, with backoff; its last failure once
     * out of retries. A transient failure goes up at once, to the consumer's retry.
     */
    static <T> Uni<T> retried(Uni<T> attempt, String requestId) {
        return attempt.onFailure(e -> !TransientFailures.isTransient(e))
                .invoke(e -> LOG.warnf("erasure request %s failed (retried %d times at most): %s", requestId, RETRIES,
                        TransientFailures.reason(e)))
                .onFailure(e -> !TransientFailures.isTransient(e)).retry().withBackOff(FIRST_RETRY, LAST_RETRY).atMost(RETRIES);
    }

    /** Continues on {@code context} (a retry resubscribes on Mutiny's scheduler), if there is one. */
    private static Uni<Void> onContext(io.vertx.core.Context context) {
        Uni<Void> now = Uni.createFrom().voidItem();
        return context == null ? now : now.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private Uni<Long> eraseOnce(SqlConnection tx, String eventId, String subject) {
        return ProcessedEvents.firstTime(tx, eventId).flatMap(first -> !first ? Uni.createFrom().item(0L)
                : LinkableIds.of(tx, declared.tables(), subject).flatMap(linkable -> declared.fold().fold(tx, subject)
                        .flatMap(folded -> deleteDeclared(tx, subject).map(deleted -> folded + deleted))
                        .call(() -> LinkableIds.checkGone(tx, linkable, declared.service()))));
    }

    private Uni<Long> deleteDeclared(SqlConnection tx, String subject) {
        return Multi.createFrom().iterable(declared.tables())
                .filter(table -> table.erasure() == SubjectTable.Erasure.DELETE)
                .onItem().transformToUniAndConcatenate(table -> tx.preparedQuery("DELETE FROM " + SubjectDataCheck.quoted(table.name())
                        + " WHERE " + SubjectDataCheck.quoted(table.subjectColumn()) + " = $1").execute(Tuple.of(subject)))
                .collect().with(Collectors.summingLong(rows -> (long) rows.rowCount()));
    }
}
