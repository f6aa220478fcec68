package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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

    public Conversations(Pool database, MetricsConfig config) {
        this.database = database;
        this.config = config;
        MetricsConfig.BusinessHoursConfig b = config.businessHours();
        this.hours = new BusinessHours(config.timeZone(), b.opens(), b.closes(), b.days());
    }

    public Uni<ConversationTimes.Sample> measure(Instant from, Instant to, Instant now) {
        String sql = "WITH subjects AS (SELECT DISTINCT subject_id FROM inbound_message WHERE received_at >= $1 AND received_at < $2 "
                + "AND message_type NOT IN ('reaction', 'system')) "
                + "SELECT subject_id, at, kind FROM (SELECT subject_id, received_at AS at, 0 AS kind FROM inbound_message "
                + "WHERE subject_id IN (SELECT subject_id FROM subjects) AND received_at >= $1 AND received_at < $2 "
                + "AND message_type NOT IN ('reaction', 'system') "
                + "UNION ALL SELECT subject_id, sent_at, 1 FROM message_state WHERE campaign_id IS NULL AND sent_at IS NOT NULL "
                + "AND subject_id IN (SELECT subject_id FROM subjects) AND sent_at >= $1 AND sent_at < $2 + $3::bigint * interval '1 second' "
                + "UNION ALL SELECT subject_id, resolved_at, 2 FROM conversation_resolution WHERE subject_id IN (SELECT subject_id FROM subjects) "
                + "AND resolved_at >= $1 AND resolved_at < $2 + $3::bigint * interval '1 second') t ORDER BY subject_id, at, kind";
        return database.preparedQuery(sql).execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC),
                config.conversationInactivity().toSeconds())).map(rows -> {
                    List<ConversationTimes.Sample> samples = new ArrayList<>();
                    String subject = null;
                    List<ConversationTimes.Point> timeline = new ArrayList<>();
                    for (Row row : rows) {
                        if (!row.getString("subject_id").equals(subject)) {
                            if (subject != null) {
                                samples.add(ConversationTimes.measure(timeline, config.conversationInactivity(), hours, now));
                            }
                            subject = row.getString("subject_id");
                            timeline = new ArrayList<>();
                        }
                        timeline.add(new ConversationTimes.Point(row.getOffsetDateTime("at").toInstant(),
                                ConversationTimes.Kind.values()[row.getInteger("kind")]));
                    }
                    if (subject != null) {
                        samples.add(ConversationTimes.measure(timeline, config.conversationInactivity(), hours, now));
                    }
                    return ConversationTimes.combine(samples);
                });
    }

    /** Records an explicit resolution of the subject's open conversation. */
    public Uni<Void> resolve(String subjectId, Instant at, String by) {
        return database.preparedQuery("INSERT INTO conversation_resolution (subject_id, resolved_at, resolved_by) VALUES ($1, $2, $3)")
                .execute(Tuple.of(subjectId, at.atOffset(ZoneOffset.UTC), by)).replaceWithVoid();
    }
}
