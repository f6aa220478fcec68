package io.sohbet.campaign.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When a campaign's recipients are due, by hour: what send-time optimisation (or local-time scheduling, quiet hours,
 * the A/B test phase) made of the plan, in counts only. Hold-outs are never sent and are not counted. Rows the
 * retention rule deleted count from {@code send_tally} ({@link SendQueueRetention}): by the quarter hour (UTC) they were
 * due in, which falls in the same hour in every time zone (all are offset by whole quarter hours).
 */
@ApplicationScoped
public class PlannedSendTimes {

    /** The recipients due within the hour that starts at {@code start}, and how many of them have been messaged. */
    public record Hour(OffsetDateTime start, long recipients, long messaged) {
    }

    private final Pool database;

    public PlannedSendTimes(Pool database) {
        this.database = database;
    }

    /** The campaign's recipients by the hour (in {@code zone}) they are due in, earliest first; none before planning. */
    public Uni<List<Hour>> byHour(String campaignId, ZoneId zone) {
        return database.preparedQuery("SELECT local_hour, sum(recipients)::bigint AS recipients, sum(messaged)::bigint AS messaged "
                        + "FROM (SELECT date_trunc('hour', due_at AT TIME ZONE $2) AS local_hour, count(*) AS recipients, "
                        + "count(*) FILTER (WHERE status IN ('sent', 'unconfirmed')) AS messaged FROM send_queue "
                        + "WHERE campaign_id = $1 AND phase <> 'holdout' GROUP BY 1 "
                        // the rows the retention rule deleted, counted by the quarter hour (UTC) they were due in
                        + "UNION ALL SELECT date_trunc('hour', due_quarter AT TIME ZONE $2), sum(counted), "
                        + "coalesce(sum(counted) FILTER (WHERE state IN ('sent', 'delivered', 'read', 'unconfirmed')), 0) "
                        + "FROM send_tally WHERE campaign_id = $1 AND NOT holdout GROUP BY 1) t GROUP BY 1 ORDER BY 1")
                .execute(Tuple.of(campaignId, zone.getId()))
                .map(rows -> {
                    List<Hour> out = new ArrayList<>();
                    rows.forEach(r -> {
                        LocalDateTime local = r.getLocalDateTime("local_hour");
                        out.add(new Hour(local.atZone(zone).toOffsetDateTime(), r.getLong("recipients"), r.getLong("messaged")));
                    });
                    return out;
                });
    }
}
