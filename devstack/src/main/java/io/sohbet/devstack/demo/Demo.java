package io.sohbet.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sohbet.devstack.Suite;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code LocalStack --demo}: plays the {@link Journey} on the running suite and prints the headline metrics. */
public final class Demo {

    public static final long SEED = 20261123L;
    public static final int CUSTOMERS = 40;

    private Demo() {
    }

    public static void run(Suite suite) {
        long started = System.nanoTime();
        System.out.println("[demo] a shop with " + CUSTOMERS + " WhatsApp customers (seed " + SEED + ")");
        String campaignPage = "analytics/campaigns";
        try {
            Journey journey = new Journey(suite, SEED, CUSTOMERS, line -> System.out.println("[demo] " + line));
            Journey.Outcome outcome = journey.run();
            campaignPage = "analytics/campaigns/" + outcome.campaignId();
            JsonNode report = journey.campaignMetrics(outcome, Duration.ofSeconds(60));
            JsonNode csat = journey.csat(outcome.campaignId());
            System.out.println(summary(suite, outcome, report, csat, (System.nanoTime() - started) / 1_000_000_000) + "\n"
                    + sendTimes(suite, journey, outcome));
            System.out.println("[demo] İYS sync state (GET " + suite.service("consent-service").url() + "/api/iys/status, privacy): "
                    + Journey.iysText(journey.iysStatus()));
        } catch (RuntimeException e) {
            System.out.println("[demo] stopped: " + e.getMessage() + " (the suite keeps running; see " + suite.logs() + "/)");
        }
        // the last line: the same campaign, the same figures, as pages
        String console = io.sohbet.devstack.LocalStack.consoleUrl(suite, campaignPage);
        System.out.println("[demo] see it in the console: " + console + " (sign in as analyst / analyst; "
                + "the privacy officer's pages as privacy / privacy)");
    }

    static String summary(Suite suite, Journey.Outcome outcome, JsonNode report, JsonNode csat, long seconds) {
        StringBuilder out = new StringBuilder("\n[demo] done in " + seconds + " s. Campaign " + outcome.campaignId()
                + " as metrics-service reports it (expected from what the customers did: "
                + (Journey.matches(report.path("overall"), outcome.overall()) ? "matches" : "DOES NOT MATCH yet") + ")\n\n");
        // the figures as metrics-service answered them: the console's campaign page shows the same texts
        CampaignFigures figures = CampaignFigures.of(report, csat);
        figures.funnelLines().forEach(line -> out.append(line).append('\n'));
        Journey.ExpectedSpend spend = Journey.ExpectedSpend.of(outcome.overall());
        out.append(String.format(Locale.ROOT, "%n  Cost and return (rate card: TR marketing %s TRY per delivered message; hand "
                + "calculation %s TRY cost, %s TRY revenue: %s)%n", Journey.MARKETING_TR, spend.cost().toPlainString(),
                spend.revenue().toPlainString(), spend.matches(report.path("overall").path("cost")) ? "matches" : "DOES NOT MATCH yet"));
        figures.costLines().forEach(line -> out.append(line).append('\n'));
        out.append(String.format(Locale.ROOT, "%n  CSAT %s %% positive of %s answers; A/B test: %s%n", figures.csatScore(),
                figures.csatResponses(), figures.abTest()));
        out.append("  The three customers who stopped marketing (STOP by text, by the template's button, and by text before an "
                + "older grant was imported) got " + outcome.messagesToStoppersAfterStop() + " messages afterwards from follow-up campaign "
                + outcome.followUpId() + " and the send-time campaign (the other opted-in customers got the follow-up).\n\n");
        out.append("  Where to look (tokens: see above):\n");
        out.append("    " + suite.service("metrics-service").url() + "/api/metrics/campaigns/" + outcome.campaignId() + "   (analyst)\n");
        out.append("    " + suite.service("metrics-service").url() + "/api/metrics/rate-card   (analyst; import: admin)\n");
        out.append("    " + suite.service("campaign-service").url() + "/api/campaigns/" + outcome.campaignId() + "   (marketer)\n");
        out.append("    " + suite.service("segment-service").url() + "/api/segments   (marketer)\n");
        out.append("    " + suite.service("consent-service").url() + "/api/audit   (privacy)\n");
        out.append("    Swagger UIs: " + suite.service("metrics-service").managementUrl() + "/q/swagger-ui and the same path on each "
                + "service's management port; Prometheus metrics on /q/metrics\n");
        return out.toString();
    }

    /**
     * The send-time campaign's plan by hour beside the readers' habits: send-time optimisation at work (customers with
     * evening habits due in the evening, and so on).
     */
    static String sendTimes(Suite suite, Journey journey, Journey.Outcome outcome) {
        Map<Integer, Long> readers = journey.readersByHour();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "  Send-time optimisation: A/B campaign %s (best time "
                + "within 24 h, quiet hours 21-09) was planned from the reads of the shop's two earlier campaigns, which the "
                + "simulator replayed %s days back, each reader reading at their habitual hour. Its plan (campaign-service, %s):%n%n",
                outcome.sendTimeCampaignId(), Journey.HISTORY.stream().map(d -> String.valueOf(d.toDays())).collect(Collectors.joining(" and ")),
                outcome.sendTimes().path("timeZone").asText()));
        out.append(String.format(Locale.ROOT, "    %-13s %8s   %s%n", "hour", "planned", "readers whose habitual hour it is"));
        for (JsonNode h : outcome.sendTimes().path("hours")) {
            OffsetDateTime start = OffsetDateTime.parse(h.path("start").asText());
            long habitual = readers.getOrDefault(start.getHour(), 0L);
            out.append(String.format(Locale.ROOT, "    %s %8d   %s%n", start.format(DateTimeFormatter.ofPattern("dd.MM HH:mm", Locale.ROOT)),
                    h.path("recipients").asLong(), habitual == 0 ? "-" : habitual));
        }
        long withHistory = readers.values().stream().mapToLong(Long::longValue).sum();
        Map<Integer, Long> plannedByHour = new java.util.HashMap<>();
        outcome.sendTimes().path("hours").forEach(h -> plannedByHour.merge(OffsetDateTime.parse(h.path("start").asText()).getHour(),
                h.path("recipients").asLong(), Long::sum));
        boolean covered = readers.entrySet().stream().allMatch(e -> plannedByHour.getOrDefault(e.getKey(), 0L) >= e.getValue());
        out.append(String.format(Locale.ROOT, "%n    %d recipients planned at %d different hours; %d readers have read history, and "
                + "every habitual hour has %s its readers planned in it; recipients without read history go at the segment's "
                + "best hour. The campaign runs on: with the suite left running, the simulator's customers get it then.%n",
                outcome.sendTimes().path("planned").asLong(), outcome.sendTimes().path("hours").size(), withHistory,
                covered ? "at least" : "NOT"));
        out.append("    " + suite.service("campaign-service").url() + "/api/campaigns/" + outcome.sendTimeCampaignId()
                + "/send-times   (marketer)\n");
        return out.toString();
    }
}
