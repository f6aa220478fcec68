package io.sohbet.consent.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.client.WhatsAppReplies;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.SelfServiceReply;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.FieldCipher;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox of self-service answers ({@code self_service_reply}): an answer is written in the transaction that handled
 * the customer's message (with its dedupe record), and sent from here, so a redelivered message answers nothing twice
 * and a crash loses no answer. Each row is claimed with {@code FOR UPDATE SKIP LOCKED} (one replica sends it), sent
 * through {@link WhatsAppReplies} and deleted in that transaction; a crash between the send and the commit sends it
 * again (at least once). An answer is sent only inside WhatsApp's customer-service window (free-form text is refused
 * after it): one that could not go out before the window closes, or within {@code give-up-after}, is given up. Meta's
 * refusal is not retried. The erasure notice ({@link SelfServiceReply#ERASURE_DONE}) waits until every service
 * acknowledged the erasure ({@link DataSubjectRequests#acknowledged}); once it is sent or given up the request is
 * completed ({@link DataSubjectRequests#complete}) in the same transaction that deletes it. Audited, without the number
 * or the text.
 */
@ApplicationScoped
public class SelfServiceReplies {

    private static final Logger LOG = Logger.getLogger(SelfServiceReplies.class);
    private static final int BATCH = 20;

    private final KeyVault keys;
    private final WhatsAppReplies cloudApi;
    private final AuditLog audit;
    private final DataSubjectRequests requests;
    private final Duration giveUpAfter;
    private final boolean enabled;
    private final Database database;

    public SelfServiceReplies(KeyVault keys, WhatsAppReplies cloudApi, AuditLog audit, DataSubjectRequests requests,
            ConsentConfig config, Database database) {
        this.keys = keys;
        this.cloudApi = cloudApi;
        this.audit = audit;
        this.requests = requests;
        this.giveUpAfter = config.selfService().giveUpAfter();
        this.enabled = config.selfService().enabled();
        this.database = database;
    }

    /**
     * Queues {@code message} (the Cloud API body without the recipient) to {@code recipient}; call inside the
     * transaction that handled the customer's message. {@code requestId}: an erasure's notice, due once it completes.
     */
    public Uni<Void> queue(String subject, Recipient recipient, JsonObject message, String kind, String requestId,
            Instant windowEndsAt) {
        JsonObject body = message.copy().put("messaging_product", "whatsapp");
        if (recipient.phone() != null) {
            body.put("to", recipient.phone().startsWith("+") ? recipient.phone().substring(1) : recipient.phone());
        } else {
            body.put("recipient", recipient.bsuid());
        }
        byte[] rowKey = FieldCipher.newKey();
        SelfServiceReply reply = new SelfServiceReply();
        reply.subjectId = subject;
        reply.kind = kind;
        reply.requestId = requestId;
        reply.sealed = FieldCipher.encrypt(rowKey, subject, body.encode());
        reply.dataKey = keys.masterKeys().wrap(subject, rowKey);
        reply.masterKeyId = keys.masterKeys().activeId();
        reply.due = requestId == null;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        reply.windowEndsAt = windowEndsAt;
        reply.nextAttemptAt = now;
        reply.createdAt = now;
        return database.first("INSERT INTO self_service_reply (subject_id, kind, request_id, sealed, data_key, "
                        + "master_key_id, due, window_ends_at, next_attempt_at, attempts, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                row -> row.getLong("id"),
                reply.subjectId, reply.kind, reply.requestId, reply.sealed, reply.dataKey, reply.masterKeyId, reply.due,
                reply.windowEndsAt, reply.nextAttemptAt, reply.attempts, reply.createdAt)
                .invoke(id -> reply.id = id).replaceWithVoid();
    }

    /** Where an answer goes: the phone (E.164) when known, else the business-scoped user id. */
    public record Recipient(String phone, String bsuid) {
    }

    @Scheduled(every = "${sohbet.consent.self-service.relay-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return relay().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("self-service answers not relayed this time: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Sends what is due now; the number of rows handled (sent, refused, given up or put off). */
    public Uni<Integer> relay() {
        return database.inTransaction(() -> database.list(
                        "SELECT * FROM self_service_reply WHERE due AND next_attempt_at <= now() ORDER BY id LIMIT "
                                + BATCH + " FOR UPDATE SKIP LOCKED", SelfServiceReply::from)
                .flatMap(rows -> Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(this::handle)
                        .collect().asList().map(List::size)));
    }

    private Uni<Void> handle(SelfServiceReply reply) {
        Instant now = Instant.now();
        if (now.isAfter(reply.windowEndsAt)) {
            return finish(reply, "window-closed", null);
        }
        JsonObject body;
        try {
            body = new JsonObject(FieldCipher.decrypt(keys.masterKeys().unwrap(reply.subjectId, reply.masterKeyId,
                    reply.dataKey), reply.subjectId, reply.sealed));
        } catch (RuntimeException unreadable) {
            // its master key no longer configured (README, rotating the master key): given up, not retried forever
            return finish(reply, "unreadable", null);
        }
        return cloudApi.send(body).onItemOrFailure().transformToUni((outcome, failure) -> {
            if (failure != null) {
                reply.attempts++;
                if (now.isAfter(reply.createdAt.plus(giveUpAfter))) {
                    return finish(reply, "unavailable", null);
                }
                long backoff = Math.min(60, 1L << Math.min(reply.attempts, 6));
                reply.nextAttemptAt = now.plusSeconds(backoff).truncatedTo(ChronoUnit.MICROS);
                // put off: the row stays, with its attempt counted
                return database.update("UPDATE self_service_reply SET attempts = $1, next_attempt_at = $2 WHERE id = $3",
                        reply.attempts, reply.nextAttemptAt, reply.id).replaceWithVoid();
            }
            return finish(reply, outcome.accepted() ? "sent" : "refused", outcome.accepted() ? null : outcome);
        });
    }

    /** Deletes the row, audits what became of it, and completes the erasure it told about. */
    private Uni<Void> finish(SelfServiceReply reply, String result, WhatsAppReplies.Outcome refused) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", reply.kind);
        details.put("result", result);
        if (refused != null) {
            details.put("httpStatus", refused.httpStatus());
            if (refused.code() != null) {
                details.put("code", refused.code());
            }
        }
        if (reply.requestId != null) {
            details.put("request", reply.requestId);
        }
        if (!"sent".equals(result)) {
            LOG.infof("a self-service %s was not sent: %s", reply.kind, result);
        }
        Uni<Void> completed = reply.requestId == null ? Uni.createFrom().voidItem()
                : requests.complete(reply.requestId, Map.of("request", reply.requestId, "personNotified", "sent".equals(result),
                        "notice", result));
        return database.update("DELETE FROM self_service_reply WHERE id = $1", reply.id)
                .chain(() -> audit.append("consent-service", "self-service.reply", reply.subjectId, details))
                .chain(() -> completed);
    }
}
