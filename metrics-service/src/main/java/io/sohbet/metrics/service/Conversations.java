package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversation times over a range: the timelines of subjects who wrote in the range (customer messages other than
 * reactions and system notices, business replies outside campaigns, explicit resolutions), measured by
 * {@link ConversationTimes}.
 */
@ApplicationScoped
public class Conversations {

    private final Pool database;
    private final MetricsConfig config;
    private final BusinessHours hours;
    private final int pageSize;

    /**
     * $1 from, $2 to, $3 inactivity s, $4 the last subject of the previous page, $5 page size: the next subjects (in
     * order) with a customer message in the range, and their timelines (customer messages in the range, business
     * replies and resolutions up to the inactivity after it).
     */
    static final String PAGE = "WITH subjects AS (SELECT DISTINCT subject_id FROM inbound_message WHERE subject_id > $4 "
            + "AND received_at >= $1 AND received_at < $2 AND message_type NOT IN ('reaction', 'system') ORDER BY subject_id LIMIT $5) "
            + "SELECT subject_id, at, kind FROM (SELECT subject_id, received_at AS at, 0 AS kind FROM inbound_message "
            + "WHERE subject_id IN (SELECT subject_id FROM subjects) AND received_at >= $1 AND received_at < $2 "
            + "AND message_type NOT IN ('reaction', 'system') "
            + "UNION ALL SELECT subject_id, sent_at, 1 FROM message_state WHERE campaign_id IS NULL AND sent_at IS NOT NULL "
            + "AND subject_id IN (SELECT subject_id FROM subjects) AND sent_at >= $1 AND sent_at < $2 + $3::bigint * interval '1 second' "
            + "UNION ALL SELECT subject_id, resolved_at, 2 FROM conversation_resolution WHERE subject_id IN (SELECT subject_id FROM subjects) "
            + "AND resolved_at >= $1 AND resolved_at < $2 + $3::bigint * interval '1 second') t ORDER BY subject_id, at, kind";

    public Conversations(Pool database, MetricsConfig config) {
        this.database = database;
        this.config = config;
        this.pageSize = config.conversations().pageSize();
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalStateException("sohbet.metrics.conversations.page-size must be 1-10000");
        }
        MetricsConfig.BusinessHoursConfig b = config.businessHours();
        this.hours = new BusinessHours(config.timeZone(), b.opens(), b.closes(), b.days());
    }

    /**
     * Conversations whose customer messages fall in [{@code from}, {@code to}), measured a page of subjects at a time
     * ({@code sohbet.metrics.conversations.page-size}, in subject order): each page is one query (the subjects, then their
     * timelines), measured on a worker thread, never on the event loop; only the measured times are kept between pages.
     */
    public Uni<ConversationStats> measure(Instant from, Instant to, Instant now) {
        ConversationStats stats = new ConversationStats();
        return page(from, to, now, "", stats).replaceWith(stats);
    }

    /** One page after subject {@code after}, then the next while pages are full. */
    private Uni<Void> page(Instant from, Instant to, Instant now, String after, ConversationStats stats) {
        return database.preparedQuery(PAGE).execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC),
                        config.conversationInactivity().toSeconds(), after, pageSize))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(rows -> {
                    List<String> subjects = measure(rows, now, stats);
                    return subjects.size() < pageSize ? Uni.createFrom().voidItem()
                            : page(from, to, now, subjects.get(subjects.size() - 1), stats);
                });
    }

    /** Measures the page's timelines into {@code stats}; the subjects measured, in order. */
    private List<String> measure(RowSet<Row> rows, Instant now, ConversationStats stats) {
        List<String> subjects = new ArrayList<>();
        List<ConversationTimes.Point> timeline = new ArrayList<>();
        for (Row row : rows) {
            String subject = row.getString("subject_id");
            if (!subjects.isEmpty() && !subject.equals(subjects.get(subjects.size() - 1))) {
                stats.add(ConversationTimes.measure(timeline, config.conversationInactivity(), hours, now));
                timeline = new ArrayList<>();
            }
            if (subjects.isEmpty() || !subject.equals(subjects.get(subjects.size() - 1))) {
                subjects.add(subject);
            }
            timeline.add(new ConversationTimes.Point(row.getOffsetDateTime("at").toInstant(),
                    ConversationTimes.Kind.values()[row.getInteger("kind")]));
        }
        if (!subjects.isEmpty()) {
            stats.add(ConversationTimes.measure(timeline, config.conversationInactivity(), hours, now));
        }
        return subjects;
    }

    /** Records an explicit resolution of the subject's open conversation. */
    public Uni<Void> resolve(String subjectId, Instant at, String by) {
        return database.preparedQuery("INSERT INTO conversation_resolution (subject_id, resolved_at, resolved_by) VALUES ($1, $2, $3)")
                .execute(Tuple.of(subjectId, at.atOffset(ZoneOffset.UTC), by)).replaceWithVoid();
    }
}
