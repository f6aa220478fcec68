package io.sohbet.campaign.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.service.Campaigns;
import io.sohbet.campaign.service.Messages;
import io.sohbet.campaign.service.SendQueue;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.kit.messaging.ConsumerRetry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Delivery progress of campaign messages from {@code wa.status}: sent, delivered, read (played) and failed set their
 * timestamps once (redeliveries and out-of-order statuses change nothing). A status carrying our callback data
 * confirms a send whose answer was lost ({@code unconfirmed} → {@code sent}). An asynchronous 131049 (Meta held the
 * message back) defers the recipient by at least 24 hours, and an asynchronous 131047 (outside the customer service
 * window, as Meta usually reports it) makes them {@code skipped-no-window}, like the synchronous ones. Messages are matched by the
 * keyed hash of their id, which is what the statuses carry (one published in clear before the hashing is hashed here).
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class StatusListener {

    /**
     * A status moves its message on; one that arrives while the row is still {@code sending} (before the sender
     * recorded Meta's answer, or after a worker was killed) makes it {@code sent}, so it also puts the recipient in the
     * messaging tier's window, as recording the answer would have (no write when the window holds that time already).
     */
    static final String PROGRESS = "WITH s AS (UPDATE send_queue SET wamid = COALESCE(wamid, $2::text), "
            + "status = CASE WHEN status IN ('sending', 'unconfirmed') THEN 'sent' ELSE status END, "
            + "sent_at = COALESCE(sent_at, $4::timestamptz), "
            + "delivered_at = CASE WHEN $3::text IN ('delivered', 'read', 'played') THEN COALESCE(delivered_at, $4) ELSE delivered_at END, "
            + "read_at = CASE WHEN $3::text IN ('read', 'played') THEN COALESCE(read_at, $4) ELSE read_at END "
            + "WHERE (wamid = $2 OR (wamid IS NULL AND id = $1)) AND status IN ('sending', 'unconfirmed', 'sent') "
            + "RETURNING subject_id, sent_at AS at) " + SendQueue.WINDOW_UPSERT;

    static final String FAILURE = "UPDATE send_queue SET "
            + "status = CASE WHEN $3::int = 131049 THEN 'deferred' WHEN $3::int = 131047 THEN 'skipped-no-window' ELSE 'failed' END, "
            + "due_at = CASE WHEN $3::int = 131049 THEN $4::timestamptz + $6::bigint * interval '1 second' ELSE due_at END, "
            + "wamid = CASE WHEN $3 = 131049 THEN NULL ELSE COALESCE(wamid, $2) END, "
            + "failed_at = CASE WHEN $3 = 131049 THEN NULL WHEN $3 = 131047 THEN failed_at ELSE COALESCE(failed_at, $4) END, "
            + "error_code = $3, "
            + "error_title = $5 "
            + "WHERE (wamid = $2 OR (wamid IS NULL AND id = $1)) AND status IN ('sending', 'unconfirmed', 'sent')";

    private final Pool database;
    private final long deferralSeconds;
    private final MessageIds messageIds;

    public StatusListener(Pool database, CampaignConfig config) {
        this.database = database;
        this.messageIds = MessageIds.withKey(config.messageIdKey());
        this.deferralSeconds = Math.max(Duration.ofHours(24).toSeconds(), config.sending().ecosystemDeferral().toSeconds());
    }

    @Incoming(Channels.WA_STATUS_IN)
    public Uni<Void> statuses(List<CloudEvent> events) {
        List<Tuple> progress = new ArrayList<>();
        List<Tuple> failures = new ArrayList<>();
        for (CloudEvent event : events) {
            WaStatus s = event.dataAs(WaStatus.class);
            if (s == null || s.wamid() == null || s.status() == null) {
                continue;
            }
            String wamid = messageIds.of(s.wamid());
            Long row = Messages.rowOf(s.bizOpaqueCallbackData());
            Instant at = s.timestamp() == null ? event.time() : s.timestamp();
            String status = s.status().toLowerCase(Locale.ROOT);
            if (status.equals("failed")) {
                WaError error = s.errors() == null || s.errors().isEmpty() ? null : s.errors().get(0);
                String title = error == null ? "failed" : java.util.stream.Stream.of(error.title(), error.details())
                        .filter(java.util.Objects::nonNull).reduce((t, d) -> t + ": " + d).orElse("failed");
                failures.add(Tuple.of(row == null ? -1L : row, wamid, error == null ? null : error.code(), Campaigns.utc(at))
                        .addValue(Campaigns.storable(title)).addValue(deferralSeconds));
            } else if (List.of("sent", "delivered", "read", "played").contains(status)) {
                progress.add(Tuple.of(row == null ? -1L : row, wamid, status, Campaigns.utc(at)));
            }
        }
        Uni<Void> first = progress.isEmpty() ? Uni.createFrom().voidItem()
                : database.preparedQuery(PROGRESS).executeBatch(progress).replaceWithVoid();
        return first.chain(() -> failures.isEmpty() ? Uni.createFrom().voidItem()
                : database.preparedQuery(FAILURE).executeBatch(failures).replaceWithVoid());
    }
}
