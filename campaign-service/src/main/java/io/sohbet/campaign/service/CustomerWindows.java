package io.sohbet.campaign.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sohbet.campaign.service.Campaigns.utc;

/**
 * When each customer last wrote to the business ({@code wa.inbound}), for WhatsApp's 24-hour customer service window:
 * inside it any message type may go, outside it only templates. Only the time is kept, for 24 hours.
 */
@ApplicationScoped
public class CustomerWindows {

    static final Duration WINDOW = Duration.ofHours(24);

    private final Pool database;

    public CustomerWindows(Pool database) {
        this.database = database;
    }

    /** A customer's message: subject and when it was written. */
    public record Inbound(String subjectId, Instant at) {
    }

    /** Records the latest message time per customer (older or repeated messages change nothing). */
    public Uni<Void> record(List<Inbound> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery("INSERT INTO customer_window (subject_id, last_inbound_at) SELECT s, max(a) "
                        + "FROM unnest($1::text[], $2::timestamptz[]) AS t(s, a) GROUP BY s ON CONFLICT (subject_id) DO UPDATE "
                        + "SET last_inbound_at = GREATEST(customer_window.last_inbound_at, EXCLUDED.last_inbound_at)")
                .execute(Tuple.of(messages.stream().map(Inbound::subjectId).toArray(String[]::new),
                        messages.stream().map(m -> utc(m.at())).toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** The last message time of those of {@code subjects} who wrote within the last 24 hours. */
    public Uni<Map<String, Instant>> lastInbound(List<String> subjects) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return database.preparedQuery("SELECT subject_id, last_inbound_at FROM customer_window WHERE subject_id = ANY($1) "
                        + "AND last_inbound_at > $2")
                .execute(Tuple.of(subjects.toArray(String[]::new), utc(Instant.now().minus(WINDOW))))
                .map(rows -> {
                    Map<String, Instant> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("subject_id"), r.getOffsetDateTime("last_inbound_at").toInstant());
                    }
                    return out;
                });
    }

    /** Forgets messages whose window has closed. */
    public Uni<Integer> purge(Instant now) {
        return database.preparedQuery("DELETE FROM customer_window WHERE last_inbound_at < $1")
                .execute(Tuple.of(utc(now.minus(WINDOW)))).map(rows -> rows.rowCount());
    }
}
