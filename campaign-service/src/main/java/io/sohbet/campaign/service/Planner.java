package io.sohbet.campaign.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.ContactApi;
import io.sohbet.campaign.client.MetricsApi;
import io.sohbet.campaign.client.SegmentApi;
import io.sohbet.kit.ServiceTokens;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.domain.CampaignDefinition.AbTest;
import io.sohbet.campaign.domain.CampaignDefinition.Schedule;
import io.sohbet.campaign.service.Campaigns.Campaign;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Plans a campaign when it starts: snapshots the target segments' members (paged from segment-service), removes the
 * excluded segments' members, and queues every recipient with their group (hold-out, A/B test phase or the rest),
 * variant and due time, in the recipient's own time zone. Planning is idempotent — a replica that dies half-way leaves
 * rows that the next planner keeps ((campaign, subject) is unique) — and nothing is sent before it has finished (the
 * claim requires planned_at).
 *
 * <p>Fenced: a planner holds the generation its claim took ({@code planning_generation}) and every write it makes —
 * inserts, exclusions, renewing its claim, finishing — runs in a transaction that first locks the campaign row and
 * checks that the generation is still its own and the campaign not planned yet. A planner that stalled past the
 * planning timeout and was taken over therefore stops at its next write ({@link Superseded}) instead of putting back
 * excluded or erased people after the new planner finished and sending started.
 *
 * <p>Time zones: where due times depend on the recipient's zone (local-time scheduling, or quiet hours), each page's
 * members are resolved at consent-service (purpose marketing, as at send time) and their zone derived from their
 * number's country and area (libphonenumber); the number is dropped at once and only the zone is kept on the row.
 * Members consent-service does not answer for (no consent now, no number) are planned in the configured zone; the
 * sender still moves anyone whose zone turns out later than planned.
 */
@ApplicationScoped
public class Planner {

    private static final Logger LOG = Logger.getLogger(Planner.class);
    private static final int INSERT_CHUNK = 5000;
    private static final int HOURS_BATCH = 1000;
    private static final int ZONES_BATCH = 1000;

    private final Pool database;
    private final SegmentApi segments;
    private final MetricsApi metrics;
    private final ContactApi contacts;
    private final ServiceTokens tokens;
    private final CampaignConfig config;

    public Planner(Pool database, @RestClient SegmentApi segments, @RestClient MetricsApi metrics, @RestClient ContactApi contacts,
            ServiceTokens tokens, CampaignConfig config) {
        this.database = database;
        this.segments = segments;
        this.metrics = metrics;
        this.contacts = contacts;
        this.tokens = tokens;
        this.config = config;
    }

    /** What planning did. */
    public record Plan(int audience, int heldOut, int excluded, Duration took) {
    }

    /** One recipient's row; {@code zone} null when it was not known at planning. */
    record Planned(String subject, String variant, String phase, String status, Instant due, ZoneId zone) {
    }

    /** This planner's claim was taken over (it stalled past the planning timeout), or the campaign is planned already. */
    public static final class Superseded extends RuntimeException {

        Superseded(String campaignId) {
            super("the planning of campaign " + campaignId + " was taken over; this planner stops", null, false, false);
        }
    }

    /**
     * Plans the campaign under the planning generation its claim took (blocking: call on a worker thread).
     *
     * @throws Superseded when another planner took the campaign over meanwhile; nothing more was written
     */
    public Plan plan(Campaign campaign) {
        return plan(campaign, campaign.planningGeneration());
    }

    /** Plans under {@code generation}, the one the planning claim took. */
    public Plan plan(Campaign campaign, long generation) {
        long started = System.nanoTime();
        String id = campaign.id();
        CampaignDefinition d = campaign.definition();
        Instant start = campaign.startAt() == null ? Instant.now() : campaign.startAt();
        AbTest ab = d.abTest();
        Instant testEnds = ab == null ? null : start.plus(ab.duration());
        Rules rules = new Rules(id, d, start, testEnds, Scheduling.quietHours(d, config), config.quietHours().timeZone(),
                d.scheduleOrNow().mode().equals("best-time") ? fallbackHours(d) : null);
        String auth = tokens.authorization().await().indefinitely();
        int heldOut = 0;
        for (String segment : d.audience().segments()) {
            String cursor = null;
            do {
                SegmentApi.MembersPage page = segments.members(auth, segment, cursor, config.planning().pageSize()).await().indefinitely();
                List<Planned> rows = rules.plan(page.subjectIds(), bestHours(auth, rules, page.subjectIds()),
                        rules.needsZones() ? zones(auth, page.subjectIds()) : Map.of());
                heldOut += (int) rows.stream().filter(r -> r.phase().equals("holdout")).count();
                insert(id, generation, rows);
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        int excluded = 0;
        for (String segment : d.audience().exclusions()) {
            String cursor = null;
            do {
                SegmentApi.MembersPage page = segments.members(auth, segment, cursor, config.planning().pageSize()).await().indefinitely();
                String[] members = page.subjectIds().toArray(String[]::new);
                // each page renews the planning claim, as the inserts do: long exclusions are not taken over
                excluded += fenced(id, generation, c -> c.preparedQuery("UPDATE campaign SET planning_started_at = $2 WHERE id = $1")
                        .execute(Tuple.of(id, Campaigns.utc(Instant.now())))
                        .chain(() -> c.preparedQuery("DELETE FROM send_queue WHERE campaign_id = $1 AND subject_id = ANY($2)")
                                .execute(Tuple.of(id, members))).map(RowSet::rowCount));
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        int audience = fenced(id, generation, c -> c.preparedQuery("UPDATE campaign SET planned_at = $2, test_ends_at = $3, "
                        + "audience = (SELECT count(*) FROM send_queue WHERE campaign_id = $1) WHERE id = $1 RETURNING audience")
                .execute(Tuple.of(id, Campaigns.utc(Instant.now()), Campaigns.utc(testEnds)))
                .map(rows -> rows.iterator().next().getInteger("audience"))
                // a cancellation that came while planning must also cover the rows planned after it
                .call(() -> c.preparedQuery("UPDATE send_queue q SET status = 'cancelled' FROM campaign k WHERE k.id = $1 "
                        + "AND k.status = 'cancelled' AND q.campaign_id = $1 AND q.status IN ('waiting', 'queued', 'deferred')")
                        .execute(Tuple.of(id))));
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

    /**
     * The time zones of the subjects consent-service answers for (purpose marketing), from their numbers; the numbers
     * are not kept. In batches of at most 1,000 (the resolve API's limit), a few at a time.
     */
    private Map<String, ZoneId> zones(String auth, List<String> subjects) {
        if (subjects.isEmpty()) {
            return Map.of();
        }
        List<List<String>> batches = IntStream.range(0, (subjects.size() + ZONES_BATCH - 1) / ZONES_BATCH)
                .mapToObj(i -> subjects.subList(i * ZONES_BATCH, Math.min(subjects.size(), (i + 1) * ZONES_BATCH))).toList();
        Map<String, ZoneId> out = new HashMap<>();
        Multi.createFrom().iterable(batches)
                .onItem().transformToUni(batch -> contacts.resolve(auth, new ContactApi.ResolveRequest("marketing", batch)))
                .merge(Math.max(1, config.planning().concurrency()))
                .subscribe().asStream().forEach(answer -> {
                    if (answer.contacts() != null) {
                        answer.contacts().forEach(c -> {
                            ZoneId zone = RecipientZones.of(c.phone());
                            if (zone != null) {
                                out.put(c.subjectId(), zone);
                            }
                        });
                    }
                });
        return out;
    }

    /** Inserts a page's rows, in chunks, each fenced; renews the planning claim with the first chunk. */
    private void insert(String campaignId, long generation, List<Planned> rows) {
        for (int from = 0; from < rows.size() || from == 0; from += INSERT_CHUNK) {
            List<Planned> chunk = rows.subList(Math.min(from, rows.size()), Math.min(rows.size(), from + INSERT_CHUNK));
            boolean renew = from == 0;
            fenced(campaignId, generation, c -> (renew ? c.preparedQuery("UPDATE campaign SET planning_started_at = $2 WHERE id = $1")
                    .execute(Tuple.of(campaignId, Campaigns.utc(Instant.now()))).replaceWithVoid() : Uni.createFrom().voidItem())
                    .chain(() -> chunk.isEmpty() ? Uni.createFrom().item(0) : c.preparedQuery("INSERT INTO send_queue "
                                    + "(campaign_id, subject_id, variant, phase, status, due_at, time_zone) SELECT $1, s, v, p, st, d, z "
                                    + "FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) "
                                    + "AS t(s, v, p, st, d, z) ON CONFLICT (campaign_id, subject_id) DO NOTHING")
                            .execute(Tuple.of(campaignId, chunk.stream().map(Planned::subject).toArray(String[]::new),
                                    chunk.stream().map(Planned::variant).toArray(String[]::new),
                                    chunk.stream().map(Planned::phase).toArray(String[]::new),
                                    chunk.stream().map(Planned::status).toArray(String[]::new),
                                    chunk.stream().map(p -> Campaigns.utc(p.due())).toArray(OffsetDateTime[]::new))
                                    .addValue(chunk.stream().map(p -> p.zone() == null ? null : p.zone().getId()).toArray(String[]::new)))
                            .map(RowSet::rowCount)));
        }
    }

    /**
     * Runs {@code write} in a transaction that first locks the campaign row and checks that this planner's generation
     * is still the campaign's and that it is not planned yet; otherwise writes nothing and throws {@link Superseded}.
     * A planning claim takes the same row lock, so a write either commits before a takeover or never.
     */
    <T> T fenced(String campaignId, long generation, Function<SqlConnection, Uni<T>> write) {
        return database.withTransaction(c -> c.preparedQuery("SELECT 1 FROM campaign WHERE id = $1 AND planning_generation = $2 "
                                + "AND planned_at IS NULL FOR UPDATE").execute(Tuple.of(campaignId, generation))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().failure(new Superseded(campaignId));
                            }
                            return write.apply(c);
                        }))
                .await().atMost(Duration.ofMinutes(2));
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

        /** Whether due times depend on the recipient's time zone: local-time scheduling, or quiet hours. */
        boolean needsZones() {
            return definition.scheduleOrNow().mode().equals("local-time") || !quiet.equals(SendTimes.QuietHours.NONE);
        }

        List<Planned> plan(List<String> subjects, Map<String, List<Integer>> bestHours, Map<String, ZoneId> zones) {
            List<Planned> out = new ArrayList<>(subjects.size());
            for (String subject : subjects) {
                out.add(plan(subject, bestHours.get(subject), zones.get(subject)));
            }
            return out;
        }

        Planned plan(String subject, List<Integer> ownHours) {
            return plan(subject, ownHours, null);
        }

        /** @param recipientZone the recipient's zone, null when unknown (the configured zone is used) */
        Planned plan(String subject, List<Integer> ownHours, ZoneId recipientZone) {
            if (Bucketing.heldOut(campaignId, subject, definition.audience().holdout())) {
                return new Planned(subject, null, "holdout", "held-out", start, recipientZone);
            }
            AbTest ab = definition.abTest();
            if (ab != null && !Bucketing.inTestPhase(campaignId, subject, ab.testPercent())) {
                return new Planned(subject, null, "rest", "waiting", due(subject, testEnds, ownHours, recipientZone), recipientZone);
            }
            return new Planned(subject, Bucketing.variant(campaignId, subject, definition.variants()), ab == null ? "all" : "test",
                    "queued", due(subject, start, ownHours, recipientZone), recipientZone);
        }

        /** When the recipient's message is due, in their zone ({@code recipientZone}, or the configured one). */
        Instant due(String subject, Instant from, List<Integer> ownHours, ZoneId recipientZone) {
            ZoneId local = recipientZone == null ? zone : recipientZone;
            Schedule s = definition.scheduleOrNow();
            return switch (s.mode()) {
                case "local-time" -> quiet.nextAllowed(SendTimes.localTime(from, s.localTime(), local), local);
                case "best-time" -> {
                    List<Integer> hours = new ArrayList<>(ownHours == null ? List.of() : ownHours);
                    fallbackHours.stream().filter(h -> !hours.contains(h)).forEach(hours::add);
                    // read hours are counted in the business zone (metrics-service); quiet hours are the recipient's
                    yield SendTimes.bestTime(from, s.windowOrDefault(), hours, zone, local, quiet, Bucketing.spread(campaignId, subject));
                }
                default -> quiet.nextAllowed(from, local);
            };
        }
    }
}
