package io.sohbet.metrics.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prometheus gauges of the main rates of recent campaigns: {@code sohbet_campaign_rate_percent{campaign,rate}},
 * {@code sohbet_campaign_messages{campaign,state}}, and what they cost and returned:
 * {@code sohbet_campaign_cost{campaign,currency}} (the rate card's currency),
 * {@code sohbet_campaign_revenue{campaign,currency="TRY"}} (attributed orders) and
 * {@code sohbet_campaign_return_on_spend{campaign}} (revenue / cost, when both are in TRY). Cardinality is bounded: only the {@value #CAMPAIGNS} campaigns
 * with the most messages sent in the last {@value #DAYS} days are exported, refreshed every minute.
 */
@ApplicationScoped
public class CampaignGauges {

    static final int CAMPAIGNS = 20;
    static final int DAYS = 7;
    private static final Logger LOG = Logger.getLogger(CampaignGauges.class);

    private final EngagementQueries queries;
    private final MultiGauge rates;
    private final MultiGauge messages;
    private final MultiGauge cost;
    private final MultiGauge revenue;
    private final MultiGauge returnOnSpend;

    public CampaignGauges(EngagementQueries queries, MeterRegistry registry) {
        this.queries = queries;
        this.rates = MultiGauge.builder("sohbet.campaign.rate.percent")
                .description("Engagement rates of the most active recent campaigns (domain.md §2)").register(registry);
        this.messages = MultiGauge.builder("sohbet.campaign.messages")
                .description("Messages of the most active recent campaigns by state").register(registry);
        this.cost = MultiGauge.builder("sohbet.campaign.cost")
                .description("What the most active recent campaigns cost: delivered charged messages priced by the rate card")
                .register(registry);
        this.revenue = MultiGauge.builder("sohbet.campaign.revenue")
                .description("Revenue of the shop orders attributed to the most active recent campaigns").register(registry);
        this.returnOnSpend = MultiGauge.builder("sohbet.campaign.return.on.spend")
                .description("Attributed revenue / cost of the most active recent campaigns").register(registry);
    }

    @Scheduled(every = "${sohbet.metrics.gauges-every:60s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> refresh() {
        Instant now = Instant.now();
        return queries.counts(new MetricFilter(null, null, null, null, now.minus(Duration.ofDays(DAYS)), now.plusSeconds(60)),
                        EngagementQueries.Dimension.CAMPAIGN)
                .invoke(groups -> {
                    List<MultiGauge.Row<?>> rateRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> messageRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> costRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> revenueRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> returnRows = new ArrayList<>();
                    groups.stream().filter(c -> c.dimension() != null).sorted(Comparator.comparingLong(Counts::sent).reversed())
                            .limit(CAMPAIGNS).forEach(c -> {
                                rate(rateRows, c.dimension(), "delivery", c.deliveryRate());
                                rate(rateRows, c.dimension(), "open", c.openRate());
                                rate(rateRows, c.dimension(), "click_through", c.clickThroughRate());
                                rate(rateRows, c.dimension(), "conversion", c.conversionRate());
                                rate(rateRows, c.dimension(), "opt_out", c.optOutRate());
                                rate(rateRows, c.dimension(), "engagement", c.engagementRate());
                                messageRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension(), "state", "sent"), c.sent()));
                                messageRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension(), "state", "delivered"), c.delivered()));
                                messageRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension(), "state", "read"), c.read()));
                                messageRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension(), "state", "failed"), c.failed()));
                                costRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension(), "currency", c.spend().currency()),
                                        c.spend().cost()));
                                revenueRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension(), "currency",
                                        Counts.Spend.REVENUE_CURRENCY), c.spend().revenue()));
                                if (c.returnOnSpend() != null) {
                                    returnRows.add(MultiGauge.Row.of(Tags.of("campaign", c.dimension()), c.returnOnSpend()));
                                }
                            });
                    rates.register(rateRows, true);
                    messages.register(messageRows, true);
                    cost.register(costRows, true);
                    revenue.register(revenueRows, true);
                    returnOnSpend.register(returnRows, true);
                })
                .onFailure().invoke(e -> LOG.warnf("campaign gauges not refreshed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static void rate(List<MultiGauge.Row<?>> rows, String campaign, String rate, Double value) {
        if (value != null) {
            rows.add(MultiGauge.Row.of(Tags.of("campaign", campaign, "rate", rate), value));
        }
    }
}
