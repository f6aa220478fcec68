package io.sohbet.segment.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps memberships true. Each event recomputes its subject's profile and memberships in the transaction that stored
 * it; a scheduled run recomputes every profile (rolling windows expire as time passes: people leave "active" without
 * any event) and re-evaluates every segment, page by page in short transactions, on one replica at a time.
 */
@ApplicationScoped
public class SegmentEvaluation {

    private static final Logger LOG = Logger.getLogger(SegmentEvaluation.class);
    /** Profiles per transaction of a full run: the longest an event about one of them waits. */
    static final int PAGE = 1000;

    private final Pool database;
    private final Profiles profiles;
    private final SegmentCatalog catalog;
    private final Memberships memberships;
    private final int pagesInFlight;

    public SegmentEvaluation(Pool database, Profiles profiles, SegmentCatalog catalog, Memberships memberships,
            io.sohbet.segment.config.SegmentConfig config) {
        this.pagesInFlight = config.pagesInFlight();
        this.database = database;
        this.profiles = profiles;
        this.catalog = catalog;
        this.memberships = memberships;
    }

    /** The catalog, read again if its version changed (for the API: no lock, so a change may be under way). */
    public Uni<SegmentCatalog> catalog() {
        return database.withConnection(c -> catalog.current(c, false));
    }

    /**
     * After a fact about {@code subject} was stored through {@code tx}: its profile and memberships, now. {@code tx}
     * took the catalog lock shared ({@link #lockCatalog}) before anything else.
     */
    public Uni<Integer> subjectChanged(SqlClient tx, String subject, Instant now) {
        return catalog.current(tx, false).flatMap(c -> profiles.recompute(tx, subject, now)
                .flatMap(profile -> {
                    if (profile == null) {
                        return Uni.createFrom().item(0);
                    }
                    List<SegmentCatalog.Compiled> segments = c.segments();
                    Map<String, String> failures = new HashMap<>();
                    Set<String> member = SegmentCatalog.evaluate(segments, profile, now, failures);
                    c.broken(failures);
                    return memberships.apply(tx, Map.of(subject, member), SegmentCatalog.ids(segments, failures.keySet()), now);
                }));
    }

    /** First thing in a transaction that will evaluate: the catalog cannot change until it ends. */
    public Uni<Void> lockCatalog(SqlClient tx) {
        return catalog.lockShared(tx);
    }

    @Scheduled(every = "${sohbet.segment.reevaluate-every:15m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reevaluateAll(Instant.now(), false).invoke(r -> {
                    if (r != null) {
                        LOG.infof("re-evaluated %d profiles in %d ms: %d membership changes", r.profiles(), r.took().toMillis(), r.changes());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("re-evaluation failed, next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * What a full run did: {@code recompute} (the RFM thresholds, then each page's catalog check, keys and recompute)
     * and {@code evaluate} (each page's evaluation, writes and commit) are sums over the pages, which overlap when
     * several are in flight; {@code phases} has each phase apart (for the benchmark and logs, not in the API's answer).
     */
    public record Run(long profiles, long changes, Duration took, Duration recompute, Duration evaluate,
            @com.fasterxml.jackson.annotation.JsonIgnore RunPhases phases) {
    }

    /** Recomputes every profile as of {@code now} and re-evaluates every segment for it; waits for another replica's run. */
    public Uni<Run> reevaluateAll(Instant now) {
        return reevaluateAll(now, true);
    }

    /**
     * One replica at a time runs it (a PostgreSQL advisory lock held by a connection of its own: two runs would do the
     * work twice and lock pages in different orders); without {@code wait} a replica finds the run taken and skips it
     * (null). Profiles are recomputed, scored and evaluated page by page, each page in a short transaction of its own,
     * so an event waits for at most one page of {@link #PAGE} profiles, never for the whole run.
     */
    Uni<Run> reevaluateAll(Instant now, boolean wait) {
        return database.withConnection(lock -> lock.query(wait ? "SELECT TRUE AS taken FROM pg_advisory_lock(" + RUN_LOCK + ")"
                        : "SELECT pg_try_advisory_lock(" + RUN_LOCK + ") AS taken").execute()
                .flatMap(rows -> {
                    if (!wait && !rows.iterator().next().getBoolean("taken")) {
                        return Uni.createFrom().nullItem();
                    }
                    return run(now).eventually(() -> lock.query("SELECT pg_advisory_unlock(" + RUN_LOCK + ")").execute());
                }));
    }

    /** The key of the advisory lock of full runs. */
    static final long RUN_LOCK = 0x5e6_0001L;

    private Uni<Run> run(Instant now) {
        long start = System.nanoTime();
        RunPhases phases = RunPhases.timing();
        return catalog.reload().chain(() -> database.withConnection(profiles::rfmThresholds))
                .flatMap(rfm -> {
                    long thresholds = System.nanoTime() - start;
                    return pages(now, rfm, phases).flatMap(totals -> database.preparedQuery("INSERT INTO segment_size (segment_id, at, members) "
                                    + "SELECT s.id, $1, (SELECT count(*) FROM segment_member m WHERE m.segment_id = s.id) FROM unnest($2::text[]) AS s(id) "
                                    + "ON CONFLICT DO NOTHING")
                            .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), catalog.segments().stream().map(c -> c.definition().id())
                                    .toArray(String[]::new)))
                            .map(x -> {
                                Duration took = Duration.ofNanos(System.nanoTime() - start);
                                Map<RunPhases.Phase, Duration> times = phases.times();
                                Duration recompute = Duration.ofNanos(thresholds).plus(times.get(RunPhases.Phase.CATALOG))
                                        .plus(times.get(RunPhases.Phase.KEYS)).plus(times.get(RunPhases.Phase.RECOMPUTE));
                                Duration evaluate = times.get(RunPhases.Phase.EVALUATE).plus(times.get(RunPhases.Phase.WRITE))
                                        .plus(times.get(RunPhases.Phase.COMMIT));
                                return new Run(totals[0], totals[1], took, recompute, evaluate, phases);
                            }));
                });
    }

    /**
     * Every profile, page after page: the keys of the next page are read (locking nothing) while up to
     * {@code pagesInFlight} pages are recomputed, evaluated and written, each in a transaction of its own. Pages hold
     * different subjects, so they never wait for each other; an event waits for its own subject's page only.
     */
    private Uni<long[]> pages(Instant now, Profiles.RfmThresholds rfm, RunPhases phases) {
        String[] after = {""};
        return Multi.createBy().repeating()
                .uni(() -> phases.time(RunPhases.Phase.KEYS, () -> database.withConnection(c -> profiles.pageKeys(c, after[0], PAGE)))
                        .invoke(keys -> after[0] = keys.length == 0 ? after[0] : keys[keys.length - 1]))
                .until(keys -> keys.length == 0)
                .onItem().transformToUni(keys -> page(keys, now, rfm, phases)).merge(pagesInFlight)
                .collect().with(java.util.stream.Collector.of(() -> new long[2], (sum, page) -> {
                    sum[0] += page[0];
                    sum[1] += page[1];
                }, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
    }

    /** One page in one transaction: its profiles recomputed, scored and evaluated, and their memberships written; {profiles, changes}. */
    private Uni<long[]> page(String[] subjects, Instant now, Profiles.RfmThresholds rfm, RunPhases phases) {
        long[] worked = {0};
        return database.withTransaction(tx -> phases.time(RunPhases.Phase.CATALOG, () -> catalog.current(tx, true))
                // planned for this page's arrays and this moment's table sizes, not with a plan cached for the
                // one-subject arrays of events (the same statements) or while segment_member was still empty; and
                // no sequential scan where an index applies: every statement of a page reads its subjects through an
                // index, but a first run fills segment_member from nothing faster than autovacuum analyses it, and
                // with the statistics of an empty table the planner took each page's read of the stored memberships
                // for a quarter of the table and scanned all of it (a growing table, page after page: 147 s instead
                // of 31 s for the 1,000 pages' membership statements replayed alone, docs/benchmarks.md). A statement
                // added to a page must have an index on its subject column too: without one it is still planned, as
                // a sequential scan at a penalty that would also keep events on the statement's generic plan.
                .chain(() -> tx.query("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                        + "set_config('enable_seqscan', 'off', true)").execute())
                .chain(() -> phases.time(RunPhases.Phase.RECOMPUTE, () -> profiles.recomputePage(tx, subjects, now, rfm)))
                .flatMap(page -> {
                    long evaluating = System.nanoTime();
                    Map<String, Set<String>> computed = new HashMap<>(page.size() * 2);
                    List<SegmentCatalog.Compiled> segments = catalog.segments();
                    Map<String, String> failures = new HashMap<>();
                    for (ProfileFacts p : page) {
                        computed.put(p.subjectId(), SegmentCatalog.evaluate(segments, p, now, failures));
                    }
                    catalog.broken(failures); // a segment that failed on one profile of the page is left alone for the whole page
                    phases.add(RunPhases.Phase.EVALUATE, System.nanoTime() - evaluating);
                    return memberships.apply(tx, computed, SegmentCatalog.ids(segments, failures.keySet()), now, phases)
                            .map(changes -> new long[] {page.size(), changes});
                }).invoke(() -> worked[0] = System.nanoTime()))
                .invoke(() -> phases.add(RunPhases.Phase.COMMIT, System.nanoTime() - worked[0]));
    }

    /**
     * Counts members of a rule over every profile, and how many of them have marketing consent on WhatsApp as this
     * service last heard it ({@link ConsentStates}), with a sample, without saving anything.
     */
    public Uni<Preview> preview(SegmentCatalog.Compiled rule, Instant now) {
        return previewPage(rule, null, now, new Preview(0, 0, new java.util.ArrayList<>()));
    }

    public record Preview(long count, long reachable, List<String> sample) {
    }

    private Uni<Preview> previewPage(SegmentCatalog.Compiled rule, String after, Instant now, Preview sofar) {
        return database.withConnection(c -> profiles.pageWithConsent(c, after, 5 * PAGE)).flatMap(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(sofar);
            }
            long count = sofar.count();
            long reachable = sofar.reachable();
            for (Profiles.Reachable row : page) {
                ProfileFacts p = row.profile();
                Set<String> memberOf = catalog.evaluate(p, now);
                boolean matches;
                try {
                    matches = rule.condition().test(p, now, memberOf);
                } catch (RuntimeException e) {
                    throw new InvalidRuleException(List.of(new InvalidRuleException.Error("/", "the rule cannot be evaluated")));
                }
                if (matches) {
                    count++;
                    if (row.marketing()) {
                        reachable++;
                    }
                    if (sofar.sample().size() < 20) {
                        sofar.sample().add(p.subjectId());
                    }
                }
            }
            return previewPage(rule, page.get(page.size() - 1).profile().subjectId(), now, new Preview(count, reachable, sofar.sample()));
        });
    }
}
