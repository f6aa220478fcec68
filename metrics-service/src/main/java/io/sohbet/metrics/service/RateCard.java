package io.sohbet.metrics.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.config.MetricsConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rate card: what Meta charges per delivered message by country, pricing category and the day a price takes
 * effect, optionally the rate of one volume tier ({@link VolumeTiers}). Imported from CSV ({@link RateCardCsv}) in one
 * transaction: a line for a (country, category, tier, day) already on the card replaces its price, the others are
 * added. Messages are priced from it when metrics are read ({@link EngagementQueries}).
 */
@ApplicationScoped
public class RateCard {

    /** One stored price. */
    /** {@code tier}: the volume tier whose rate it is, empty for the base rate. */
    public record Entry(long id, String country, String category, LocalDate effectiveFrom, BigDecimal price, String currency,
            String tier) {
    }

    /** What an import did. */
    public record Imported(int lines, int added, int replaced) {
    }

    private final Pool database;
    private final MetricsConfig.CostConfig config;

    public RateCard(Pool database, MetricsConfig config) {
        this.database = database;
        this.config = config.cost();
    }

    /** Validates the whole card, then stores it; a wrong line stores nothing ({@link RateCardCsv.InvalidRateCardException}). */
    public Uni<Imported> importCsv(String csv) {
        List<RateCardCsv.Rate> rates = RateCardCsv.parse(csv, config.currency(), config.maxLines());
        int n = rates.size();
        String[] countries = new String[n];
        String[] categories = new String[n];
        LocalDate[] days = new LocalDate[n];
        String[] prices = new String[n]; // exact decimals, cast by PostgreSQL
        String[] currencies = new String[n];
        String[] tiers = new String[n];
        for (int i = 0; i < n; i++) {
            RateCardCsv.Rate r = rates.get(i);
            countries[i] = r.country();
            categories[i] = r.category();
            days[i] = r.effectiveFrom();
            prices[i] = r.price().toPlainString();
            currencies[i] = r.currency();
            tiers[i] = r.tier();
        }
        // xmax = 0: the row was inserted by this statement, not updated
        return database.withTransaction(tx -> tx.preparedQuery("INSERT INTO rate_card (country, category, effective_from, price, "
                        + "currency, tier) SELECT c, k, d, p::numeric, cur, t FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], "
                        + "$5::text[], $6::text[]) AS u(c, k, d, p, cur, t) "
                        + "ON CONFLICT (country, category, tier, effective_from) DO UPDATE SET price = EXCLUDED.price, "
                        + "currency = EXCLUDED.currency RETURNING (xmax = 0) AS added")
                .execute(Tuple.from(new Object[] {countries, categories, days, prices, currencies, tiers})))
                .map(rows -> {
                    int added = 0;
                    for (Row r : rows) {
                        added += r.getBoolean("added") ? 1 : 0;
                    }
                    return new Imported(n, added, n - added);
                });
    }

    /** The card, optionally of one country and/or category, by country, category, tier (base first) and day. */
    public Uni<List<Entry>> list(String country, String category) {
        return database.preparedQuery("SELECT * FROM rate_card WHERE ($1::text IS NULL OR country = $1) AND ($2::text IS NULL "
                        + "OR category = $2) ORDER BY country, category, tier <> '', tier, effective_from")
                .execute(Tuple.of(country, category)).map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    rows.forEach(r -> out.add(entry(r)));
                    return out;
                });
    }

    public Uni<Optional<Entry>> find(long id) {
        return database.preparedQuery("SELECT * FROM rate_card WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(entry(rows.iterator().next())));
    }

    /** {@code false} when there was no such price. Messages it priced are priced again by what remains. */
    public Uni<Boolean> delete(long id) {
        return database.preparedQuery("DELETE FROM rate_card WHERE id = $1").execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    private static Entry entry(Row r) {
        return new Entry(r.getLong("id"), r.getString("country"), r.getString("category"), r.getLocalDate("effective_from"),
                r.getBigDecimal("price"), r.getString("currency"), r.getString("tier"));
    }
}
