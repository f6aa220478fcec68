package io.sohbet.metrics.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The volume tiers Meta reported for utility and authentication messages ({@code account_update} with {@code event:
 * VOLUME_BASED_PRICING_TIER_UPDATE}): every report is kept, per country of its region ({@link MarketRegions}). Meta's
 * tiers are telescopic: a month starts at the base rate and each message is charged the rate of the band it was
 * delivered in, so a message is priced with the tier reported last before its delivery in its month (business time
 * zone), or the base rate before any report ({@link EngagementQueries}). Storing is idempotent: a redelivered report
 * finds its row, and a report arriving after a later one changes the price of no message delivered after the later one.
 */
@ApplicationScoped
public class VolumeTiers {

    /** The pricing categories Meta gives volume tiers; any other category keeps its base rate. */
    public static final Set<String> CATEGORIES = Set.of("utility", "authentication");

    /** A tier as Meta writes it: the band's first and last message of the month, the last left out in the top band. */
    private static final Pattern TIER = Pattern.compile("([0-9]{1,12}):([0-9]{0,12})");

    /** One report: {@code tier} canonical ({@link #canonical}), {@code category} lower case. */
    public record Report(String region, String category, YearMonth effectiveMonth, String tier, Instant updatedAt) {
    }

    private final Pool database;
    private final MarketRegions regions;

    public VolumeTiers(Pool database, MarketRegions regions) {
        this.database = database;
        this.regions = regions;
    }

    /**
     * {@code 250001:2000000} for {@code 250001:2000000} and {@code 0250001 : 2000000}; {@code null} when it is no tier
     * (not two numbers, or the first above the last).
     */
    public static String canonical(String tier) {
        if (tier == null) {
            return null;
        }
        Matcher m = TIER.matcher(tier.replace(" ", ""));
        if (!m.matches()) {
            return null;
        }
        long from = Long.parseLong(m.group(1));
        if (m.group(2).isEmpty()) {
            return from + ":";
        }
        long to = Long.parseLong(m.group(2));
        return from <= to ? from + ":" + to : null;
    }

    /**
     * Stores a report for every country of its region; how many countries that is. 0: a region not known, kept by its
     * region until a start that knows it ({@link #remap}).
     */
    public Uni<Integer> record(Report report) {
        List<String> countries = regions.countries(report.region());
        if (countries.isEmpty()) {
            return database.preparedQuery("INSERT INTO volume_tier_unmapped (region, category, effective_month, tier_update_time, tier) "
                            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                    .execute(Tuple.from(new Object[] {region(report.region()), report.category(), report.effectiveMonth().toString(),
                            report.updatedAt().atOffset(ZoneOffset.UTC), report.tier()}))
                    .map(rows -> 0);
        }
        return database.preparedQuery("INSERT INTO volume_tier (country, category, effective_month, tier_update_time, tier, region) "
                        + "SELECT c, $2, $3, $4, $5, $6 FROM unnest($1::text[]) AS u(c) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(new Object[] {countries.toArray(String[]::new), report.category(), report.effectiveMonth().toString(),
                        report.updatedAt().atOffset(ZoneOffset.UTC), report.tier(), region(report.region())}))
                .map(rows -> countries.size());
    }

    /** At start: the kept reports of regions now known move to {@code volume_tier}, per country. */
    void onStart(@Observes StartupEvent started) {
        remap().await().atMost(Duration.ofMinutes(1));
    }

    /** Moves the kept reports of every region now known to {@code volume_tier}; how many reports moved. */
    public Uni<Integer> remap() {
        return database.query("SELECT DISTINCT region FROM volume_tier_unmapped").execute().flatMap(rows -> {
            List<String> known = new ArrayList<>();
            rows.forEach(r -> known.add(r.getString(0)));
            known.removeIf(region -> regions.countries(region).isEmpty());
            return Multi.createFrom().iterable(known).onItem().transformToUniAndConcatenate(region -> database.withTransaction(tx ->
                            tx.preparedQuery("INSERT INTO volume_tier (country, category, effective_month, tier_update_time, tier, region) "
                                            + "SELECT c, category, effective_month, tier_update_time, tier, region FROM volume_tier_unmapped, "
                                            + "unnest($1::text[]) AS u(c) WHERE region = $2 ON CONFLICT DO NOTHING")
                                    .execute(Tuple.of(regions.countries(region).toArray(String[]::new), region))
                                    .chain(() -> tx.preparedQuery("DELETE FROM volume_tier_unmapped WHERE region = $1").execute(Tuple.of(region)))
                                    .map(deleted -> deleted.rowCount())))
                    .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
        });
    }

    /** The region as stored: normalised, at most the column's 80 characters. */
    private static String region(String region) {
        String normalised = MarketRegions.normalise(region);
        return normalised.length() > 80 ? normalised.substring(0, 80) : normalised;
    }
}
