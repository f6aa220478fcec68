package io.sohbet.campaign.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.MetricsApi;
import io.sohbet.campaign.client.SegmentApi;
import io.sohbet.kit.ServiceTokens;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.domain.CampaignDefinition.AbTest;
import io.sohbet.campaign.domain.CampaignDefinition.Schedule;
import io.sohbet.campaign.service.Campaigns.Campaign;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Plans a campaign when it starts: snapshots the target segments' members (paged from segment-service), removes the
 * excluded segments' members, and queues every recipient with their group (hold-out, A/B test phase or the rest),
 * variant and due time. Planning is idempotent — a replica that dies half-way leaves rows that the next planner keeps
 * ((campaign, subject) is unique) — and nothing is sent before it has finished (the claim requires planned_at).
 */
@ApplicationScoped
public class Planner {

    private static final Logger LOG = Logger.getLogger(Planner.class);
    private static final int INSERT_CHUNK = 5000;
    private static final int HOURS_BATCH = 1000;

    private final Pool database;
    private final SegmentApi segments;
    private final MetricsApi metrics;
    private final ServiceTokens tokens;
    private final CampaignConfig config;

    public Planner(Pool database, @RestClient SegmentApi segments, @RestClient MetricsApi metrics, ServiceTokens tokens,
            CampaignConfig config) {
        this.database = database;
        this.segments = segments;
        this.metrics = metrics;
        this.tokens = tokens;
        this.config = config;
    }

    /** What planning did. */
    public record Plan(int audience, int heldOut, int excluded, Duration took) {
    }

    /** One recipient's row. */
    record Planned(String subject, String variant, String phase, String status, Instant due) {
    }

    /** Plans the campaign (blocking: call on a worker thread). */
    public Plan plan(Campaign campaign) {
        long started = System.nanoTime();
        CampaignDefinition d = campaign.definition();
        Instant start = campaign.startAt() == null ? Instant.now() : campaign.startAt();
        AbTest ab = d.abTest();
        Instant testEnds = ab == null ? null : start.plus(ab.duration());
        Rules rules = new Rules(campaign.id(), d, start, testEnds, Scheduling.quietHours(d, config), config.quietHours().timeZone(),
                d.scheduleOrNow().mode().equals("best-time") ? fallbackHours(d) : null);
        String auth = tokens.authorization().await().indefinitely();
        int heldOut = 0;
        for (String segment : d.audience().segments()) {
            String cursor = null;
            do {
                SegmentApi.MembersPage page = segments.members(auth, segment, cursor, config.planning().pageSize()).await().indefinitely();
                List<Planned> rows = rules.plan(page.subjectIds(), bestHours(auth, rules, page.subjectIds()));
                heldOut += (int) rows.stream().filter(r -> r.phase().equals("holdout")).count();
                insert(campaign.id(), rows);
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        int excluded = 0;
        for (String segment : d.audience().exclusions()) {
            String cursor = null;
            do {
                SegmentApi.MembersPage page = segments.members(auth, segment, cursor, config.planning().pageSize()).await().indefinitely();
                if (!page.subjectIds().isEmpty()) {
                    excluded += database.preparedQuery("DELETE FROM send_queue WHERE campaign_id = $1 AND subject_id = ANY($2)")
                            .execute(Tuple.of(campaign.id(), page.subjectIds().toArray(String[]::new))).await().indefinitely().rowCount();
                }
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        int audience = database.preparedQuery("WITH planned AS (UPDATE campaign SET planned_at = $2, test_ends_at = $3, "
                        + "audience = (SELECT count(*) FROM send_queue WHERE campaign_id = $1) WHERE id = $1 RETURNING audience, status) "
                        + "SELECT audience, status FROM planned")
                .execute(Tuple.of(campaign.id(), Campaigns.utc(Instant.now()), Campaigns.utc(testEnds)))
                .await().indefinitely().iterator().next().getInteger("audience");
        // a cancellation that came while planning must also cover the rows planned after it
        database.preparedQuery("UPDATE send_queue q SET status = 'cancelled' FROM campaign c WHERE c.id = $1 AND c.status = 'cancelled' "
                + "AND q.campaign_id = $1 AND q.status IN ('waiting', 'queued', 'deferred')").execute(Tuple.of(campaign.id()))
                .await().indefinitely();
        Plan plan = new Plan(audience, heldOut, excluded, Duration.ofNanos(System.nanoTime() - started));
        LOG.infof("campaign %s planned: %d recipients (%d held out, %d excluded) in %d ms", campaign.id(), plan.audience(),
                plan.heldOut(), plan.excluded(), plan.took().toMillis());
        return plan;
    }

    /** Best read hours of the subjects who need them (best-time scheduling only), in batches, a few at a time. */
    private Map<String, List<Integer>> bestHours(String auth, Rules rules, List<String> subjects) {
        if (rules.fallbackHours == null || subjects.isEmpty()) {
            return Map.of();
        }
        List<List<String>> batches = IntStream.range(0, (subjects.size() + HOURS_BATCH - 1) / HOURS_BATCH)
                .mapToObj(i -> subjects.subList(i * HOURS_BATCH, Math.min(subjects.size(), (i + 1) * HOURS_BATCH))).toList();
        Map<String, List<Integer>> out = new HashMap<>();
        Multi.createFrom().iterable(batches)
                .onItem().transformToUni(batch -> metrics.bestHours(auth, new MetricsApi.SubjectsRequest(batch)))
                .merge(Math.max(1, config.planning().concurrency()))
                .subscribe().asStream().forEach(answer -> out.putAll(answer.bestHours()));
        return out;
    }

    /** The segment's best hours, then everyone's: for recipients without read history of their own. */
    private List<Integer> fallbackHours(CampaignDefinition d) {
        String auth = tokens.authorization().await().indefinitely();
        LinkedHashSet<Integer> hours = new LinkedHashSet<>();
        try {
            hours.addAll(top(metrics.readTimes(auth, d.audience().segments().get(0)).await().indefinitely().hourly()));
            hours.addAll(top(metrics.readTimes(auth, null).await().indefinitely().hourly()));
        } catch (RuntimeException e) {
            LOG.warnf("campaign read-time fallback unavailable (%s): recipients without read history go at the window start",
                    e.getClass().getSimpleName());
        }
        return List.copyOf(hours);
    }

    static List<Integer> top(long[] hourly) {
        if (hourly == null) {
            return List.of();
        }
        return IntStream.range(0, Math.min(24, hourly.length)).filter(h -> hourly[h] > 0).boxed()
                .sorted((a, b) -> hourly[b] != hourly[a] ? Long.compare(hourly[b], hourly[a]) : Integer.compare(a, b)).limit(3).toList();
    }

    private void insert(String campaignId, List<Planned> rows) {
        for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
            List<Planned> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
            database.preparedQuery("INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at) "
                            + "SELECT $1, s, v, p, st, d FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) "
                            + "AS t(s, v, p, st, d) ON CONFLICT (campaign_id, subject_id) DO NOTHING")
                    .execute(Tuple.of(campaignId, chunk.stream().map(Planned::subject).toArray(String[]::new),
                            chunk.stream().map(Planned::variant).toArray(String[]::new),
                            chunk.stream().map(Planned::phase).toArray(String[]::new),
                            chunk.stream().map(Planned::status).toArray(String[]::new),
                            chunk.stream().map(p -> Campaigns.utc(p.due())).toArray(OffsetDateTime[]::new)))
                    .await().indefinitely();
        }
    }

    /** The per-recipient decisions of one campaign (pure: unit-testable). */
    static final class Rules {

        final String campaignId;
        final CampaignDefinition definition;
        final Instant start;
        final Instant testEnds;
        final SendTimes.QuietHours quiet;
        final ZoneId zone;
        final List<Integer> fallbackHours;

        Rules(String campaignId, CampaignDefinition definition, Instant start, Instant testEnds, SendTimes.QuietHours quiet,
                ZoneId zone, List<Integer> fallbackHours) {
            this.campaignId = campaignId;
            this.definition = definition;
            this.start = start;
            this.testEnds = testEnds;
            this.quiet = quiet;
            this.zone = zone;
            this.fallbackHours = fallbackHours;
        }

        List<Planned> plan(List<String> subjects, Map<String, List<Integer>> bestHours) {
            List<Planned> out = new ArrayList<>(subjects.size());
            for (String subject : subjects) {
                out.add(plan(subject, bestHours.get(subject)));
            }
            return out;
        }

        Planned plan(String subject, List<Integer> ownHours) {
            if (Bucketing.heldOut(campaignId, subject, definition.audience().holdout())) {
                return new Planned(subject, null, "holdout", "held-out", start);
            }
            AbTest ab = definition.abTest();
            if (ab != null && !Bucketing.inTestPhase(campaignId, subject, ab.testPercent())) {
                return new Planned(subject, null, "rest", "waiting", due(subject, testEnds, ownHours));
            }
            return new Planned(subject, Bucketing.variant(campaignId, subject, definition.variants()), ab == null ? "all" : "test",
                    "queued", due(subject, start, ownHours));
        }

        Instant due(String subject, Instant from, List<Integer> ownHours) {
            Schedule s = definition.scheduleOrNow();
            return switch (s.mode()) {
                case "local-time" -> quiet.nextAllowed(SendTimes.localTime(from, s.localTime(), zone), zone);
                case "best-time" -> {
                    List<Integer> hours = new ArrayList<>(ownHours == null ? List.of() : ownHours);
                    fallbackHours.stream().filter(h -> !hours.contains(h)).forEach(hours::add);
                    yield SendTimes.bestTime(from, s.windowOrDefault(), hours, zone, zone, quiet, Bucketing.spread(campaignId, subject));
                }
                default -> quiet.nextAllowed(from, zone);
            };
        }
    }
}
