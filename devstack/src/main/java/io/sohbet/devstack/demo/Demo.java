package io.sohbet.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sohbet.devstack.Suite;

import java.time.Duration;
import java.util.Locale;

/** {@code LocalStack --demo}: plays the {@link Journey} on the running suite and prints the headline metrics. */
public final class Demo {

    public static final long SEED = 20261123L;
    public static final int CUSTOMERS = 40;

    private Demo() {
    }

    public static void run(Suite suite) {
        long started = System.nanoTime();
        System.out.println("[demo] a shop with " + CUSTOMERS + " WhatsApp customers (seed " + SEED + ")");
        try {
            Journey journey = new Journey(suite, SEED, CUSTOMERS, line -> System.out.println("[demo] " + line));
            Journey.Outcome outcome = journey.run();
            JsonNode report = journey.campaignMetrics(outcome, Duration.ofSeconds(60));
            JsonNode csat = journey.csat(outcome.campaignId());
            System.out.println(summary(suite, outcome, report, csat, (System.nanoTime() - started) / 1_000_000_000));
        } catch (RuntimeException e) {
            System.out.println("[demo] stopped: " + e.getMessage() + " (the suite keeps running; see .local/logs/)");
        }
    }

    static String summary(Suite suite, Journey.Outcome outcome, JsonNode report, JsonNode csat, long seconds) {
        StringBuilder out = new StringBuilder("\n[demo] done in " + seconds + " s. Campaign " + outcome.campaignId()
                + " as metrics-service reports it (expected from what the customers did: "
                + (Journey.matches(report.path("overall"), outcome.overall()) ? "matches" : "DOES NOT MATCH yet") + ")\n\n");
        out.append(String.format(Locale.ROOT, "  %-10s %5s %9s %9s %7s %7s %10s %8s%n", "", "sent", "delivery", "open", "CTR",
                "conv.", "opt-out", "replied"));
        row(out, "all", report.path("overall"));
        for (JsonNode v : report.path("variants")) {
            row(out, "variant " + v.path("dimension").asText(), v);
        }
        out.append(String.format(Locale.ROOT, "%n  CSAT %s %% positive of %d answers; A/B test: %s%n", text(csat.path("score")),
                csat.path("responses").asLong(), report.path("abTest").path("significant").asBoolean()
                        ? "winner " + report.path("abTest").path("winner").asText()
                        : "no significant winner yet (p = " + String.format(Locale.ROOT, "%.3f", report.path("abTest").path("pValue").asDouble())
                                + ", a demo-sized sample)"));
        out.append("  The three customers who stopped marketing (STOP by text, by the template's button, and by text before an "
                + "older grant was imported) got " + outcome.messagesToStoppersAfterStop() + " messages from follow-up campaign "
                + outcome.followUpId() + " (the other opted-in customers got one each).\n\n");
        out.append("  Where to look (tokens: see above):\n");
        out.append("    " + suite.service("metrics-service").url() + "/api/metrics/campaigns/" + outcome.campaignId() + "   (analyst)\n");
        out.append("    " + suite.service("campaign-service").url() + "/api/campaigns/" + outcome.campaignId() + "   (marketer)\n");
        out.append("    " + suite.service("segment-service").url() + "/api/segments   (marketer)\n");
        out.append("    " + suite.service("consent-service").url() + "/api/audit   (privacy)\n");
        out.append("    Swagger UIs: " + suite.service("metrics-service").managementUrl() + "/q/swagger-ui and the same path on each "
                + "service's management port; Prometheus metrics on /q/metrics\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String label, JsonNode g) {
        out.append(String.format(Locale.ROOT, "  %-10s %5d %8s%% %8s%% %6s%% %6s%% %9s%% %8d%n", label, g.path("sent").asLong(),
                text(g.path("deliveryRate")), text(g.path("openRate")), text(g.path("clickThroughRate")),
                text(g.path("conversionRate")), text(g.path("optOutRate")), g.path("replied").asLong()));
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    }
}
