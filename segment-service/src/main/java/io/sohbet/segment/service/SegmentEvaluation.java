package io.sohbet.segment.service;

import io.quarkus.scheduler.Scheduled;
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
 * any event) and re-evaluates every segment page by page.
 */
@ApplicationScoped
public class SegmentEvaluation {

    private static final Logger LOG = Logger.getLogger(SegmentEvaluation.class);
    static final int PAGE = 5000;

    private final Pool database;
    private final Profiles profiles;
    private final SegmentCatalog catalog;
    private final Memberships memberships;
    private final java.time.Duration refresh;

    public SegmentEvaluation(Pool database, Profiles profiles, SegmentCatalog catalog, Memberships memberships,
            io.sohbet.segment.config.SegmentConfig config) {
        this.database = database;
        this.profiles = profiles;
        this.catalog = catalog;
        this.memberships = memberships;
        this.refresh = config.catalogRefresh();
    }

    /** The catalog, loaded on first use. */
    public Uni<SegmentCatalog> catalog() {
        return catalog.olderThan(refresh) ? catalog.reload().replaceWith(catalog) : Uni.createFrom().item(catalog);
    }

    /** After a fact about {@code subject} was stored through {@code tx}: its profile and memberships, now. */
    public Uni<Integer> subjectChanged(SqlClient tx, String subject, Instant now) {
        return catalog().flatMap(c -> profiles.recompute(tx, subject, now)
                .chain(() -> profiles.find(tx, subject))
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

    @Scheduled(every = "${sohbet.segment.reevaluate-every:15m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reevaluateAll(Instant.now()).invoke(r -> LOG.infof("re-evaluated %d profiles in %d ms: %d membership changes",
                        r.profiles(), r.took().toMillis(), r.changes()))
                .onFailure().invoke(e -> LOG.warnf("re-evaluation failed, next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** What a full run did. */
    public record Run(long profiles, long changes, Duration took, Duration recompute, Duration evaluate) {
    }

    /** Recomputes every profile as of {@code now}, then re-evaluates every segment for every profile. */
    public Uni<Run> reevaluateAll(Instant now) {
        long start = System.nanoTime();
        return catalog.reload().chain(() -> database.withTransaction(tx -> profiles.recompute(tx, null, now)))
                .flatMap(ignored -> {
                    long recomputed = System.nanoTime();
                    return page(null, now, 0, 0).flatMap(totals -> database.preparedQuery("INSERT INTO segment_size (segment_id, at, members) "
                                    + "SELECT s.id, $1, (SELECT count(*) FROM segment_member m WHERE m.segment_id = s.id) FROM unnest($2::text[]) AS s(id) "
                                    + "ON CONFLICT DO NOTHING")
                            .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), catalog.segments().stream().map(c -> c.definition().id())
                                    .toArray(String[]::new)))
                            .map(x -> new Run(totals[0], totals[1], Duration.ofNanos(System.nanoTime() - start),
                                    Duration.ofNanos(recomputed - start), Duration.ofNanos(System.nanoTime() - recomputed))));
                });
    }

    private Uni<long[]> page(String after, Instant now, long seen, long changes) {
        return database.withTransaction(tx -> profiles.page(tx, after, PAGE).flatMap(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(new Object[] {null, 0});
            }
            Map<String, Set<String>> computed = new HashMap<>(page.size() * 2);
            List<SegmentCatalog.Compiled> segments = catalog.segments();
            Map<String, String> failures = new HashMap<>();
            for (ProfileFacts p : page) {
                computed.put(p.subjectId(), SegmentCatalog.evaluate(segments, p, now, failures));
            }
            catalog.broken(failures); // a segment that failed on one profile of the page is left alone for the whole page
            return memberships.apply(tx, computed, SegmentCatalog.ids(segments, failures.keySet()), now).map(n -> new Object[] {page.get(page.size() - 1).subjectId(), n, page.size()});
        })).flatMap(result -> {
            if (result[0] == null) {
                return Uni.createFrom().item(new long[] {seen, changes});
            }
            return page((String) result[0], now, seen + (int) result[2], changes + (int) result[1]);
        });
    }

    /** Counts members of a rule over every profile, with a sample, without saving anything. */
    public Uni<Preview> preview(SegmentCatalog.Compiled rule, Instant now) {
        return previewPage(rule, null, now, new Preview(0, new java.util.ArrayList<>()));
    }

    public record Preview(long count, List<String> sample) {
    }

    private Uni<Preview> previewPage(SegmentCatalog.Compiled rule, String after, Instant now, Preview sofar) {
        return database.withConnection(c -> profiles.page(c, after, PAGE)).flatMap(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(sofar);
            }
            long count = sofar.count();
            for (ProfileFacts p : page) {
                Set<String> memberOf = catalog.evaluate(p, now);
                boolean matches;
                try {
                    matches = rule.condition().test(p, now, memberOf);
                } catch (RuntimeException e) {
                    throw new InvalidRuleException(List.of(new InvalidRuleException.Error("/", "the rule cannot be evaluated")));
                }
                if (matches) {
                    count++;
                    if (sofar.sample().size() < 20) {
                        sofar.sample().add(p.subjectId());
                    }
                }
            }
            return previewPage(rule, page.get(page.size() - 1).subjectId(), now, new Preview(count, sofar.sample()));
        });
    }
}
