package io.sohbet.kit.privacy;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyDestruction;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes what a retention run destroyed as a {@code privacy.destruction} event into the service's transactional outbox
 * ({@code outbox}: topic, event_key, event, created_at; published by {@code io.sohbet.kit.OutboxDrain}), in the
 * transaction that deleted or anonymised the rows: the record leaves if and only if the destruction commits, at least
 * once. consent-service writes it to the KVKK destruction records, once per {@code (service, runId)}. Keyed by the
 * service's name (no subject id): one service's runs stay in order.
 */
public final class DestructionOutbox {

    /** The legal reason of a retention rule's destruction, with the rule and its period. */
    public static final String BY_RULE = "KVKK m.7 and the destruction regulation art. 11 (periodic destruction): "
            + "the retention period of the policy elapsed (%s: %s)";

    private DestructionOutbox() {
    }

    /** The legal reason for a rule (its setting) and the period it keeps data for (in days when whole: P400D). */
    public static String byRule(String setting, Duration kept) {
        return String.format(BY_RULE, setting, kept.toSeconds() % 86_400 == 0 ? "P" + kept.toDays() + "D" : kept.toString());
    }

    /** Writes the run's event unless it destroyed nothing; the number of events written (0 or 1). */
    public static Uni<Integer> write(SqlClient tx, String service, String runId, Instant ranAt, List<PrivacyDestruction.Entry> entries) {
        List<PrivacyDestruction.Entry> destroyed = entries.stream().filter(e -> e.records() > 0).toList();
        if (destroyed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String event = new String(CloudEventSerializer.encode(Topics.PRIVACY_DESTRUCTION, "destruction:" + service + ":" + runId,
                "/sohbet/" + service, ranAt, null, new PrivacyDestruction(runId, service, ranAt, destroyed)), StandardCharsets.UTF_8);
        return tx.preparedQuery("INSERT INTO outbox (topic, event_key, event, created_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(Topics.PRIVACY_DESTRUCTION, service, event, ranAt.atOffset(ZoneOffset.UTC))).replaceWith(1);
    }
}
