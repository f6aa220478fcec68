package io.sohbet.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures the demo prints about its campaign, each as the text metrics-service answered
 * ({@code GET /api/metrics/campaigns/{id}} and {@code GET /api/metrics/csat}): one row for all recipients
 * ({@link #ALL}) and one per variant (its dimension, {@code A}, {@code B}), each field under the API's own name
 * ({@code sent}, {@code deliveryRate}, … {@code replied}; the cost's as {@code cost.amount}, {@code cost.perDelivered},
 * …). A field the API left out (no denominator) is absent here and printed as {@code -}. The console's campaign page
 * ({@code /analytics/campaigns/{id}}, the demo's last line) shows the same texts: console-service's
 * {@code DemoFiguresTest} holds them side by side.
 */
public record CampaignFigures(Map<String, Map<String, String>> rows, String csatScore, String csatResponses, String abTest) {

    public static final String ALL = "all";
    /** The funnel's columns the demo prints, in its order. */
    public static final List<String> FUNNEL = List.of("sent", "deliveryRate", "openRate", "clickThroughRate", "conversionRate",
            "optOutRate", "replied");
    /** The cost's columns the demo prints, in its order. */
    public static final List<String> COST = List.of("cost.amount", "cost.perDelivered", "cost.perRead", "cost.perClick",
            "cost.perConversion", "cost.revenue", "cost.returnOnSpend");

    /** The figures of a campaign report and its CSAT answer (as the demo reads them: {@link #json}). */
    public static CampaignFigures of(JsonNode report, JsonNode csat) {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        rows.put(ALL, row(report.path("overall")));
        for (JsonNode v : report.path("variants")) {
            rows.put(v.path("dimension").asText(), row(v));
        }
        JsonNode ab = report.path("abTest");
        String abTest = ab.path("significant").asBoolean() && !text(ab.path("winner")).equals("-")
                ? "winner " + ab.path("winner").asText()
                : "no significant winner yet (p = " + text(ab.path("pValue")) + ", a demo-sized sample)";
        return new CampaignFigures(rows, text(csat.path("score")), text(csat.path("responses")), abTest);
    }

    /** JSON read as the demo reads the APIs' answers (decimals exactly as written). */
    public static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The figure of a row and column, or empty when the API left it out. */
    public String figure(String row, String column) {
        return rows.getOrDefault(row, Map.of()).getOrDefault(column, "");
    }

    /** The demo's two tables (funnel, cost and return), a line each per row. */
    public List<String> funnelLines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "  %-10s %5s %9s %9s %7s %7s %10s %8s", "", "sent", "delivery", "open", "CTR",
                "conv.", "opt-out", "replied"));
        rows.forEach((row, f) -> out.add(String.format(Locale.ROOT, "  %-10s %5s %8s%% %8s%% %6s%% %6s%% %9s%% %8s", label(row),
                shown(f, "sent"), shown(f, "deliveryRate"), shown(f, "openRate"), shown(f, "clickThroughRate"),
                shown(f, "conversionRate"), shown(f, "optOutRate"), shown(f, "replied"))));
        return out;
    }

    public List<String> costLines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "  %-10s %9s %9s %9s %9s %9s %10s %7s", "", "cost", "/deliv.", "/read", "/click",
                "/conv.", "revenue", "return"));
        rows.forEach((row, f) -> out.add(String.format(Locale.ROOT, "  %-10s %9s %9s %9s %9s %9s %10s %7s", label(row),
                shown(f, "cost.amount"), shown(f, "cost.perDelivered"), shown(f, "cost.perRead"), shown(f, "cost.perClick"),
                shown(f, "cost.perConversion"), shown(f, "cost.revenue"), shown(f, "cost.returnOnSpend"))));
        return out;
    }

    private static Map<String, String> row(JsonNode group) {
        Map<String, String> figures = new LinkedHashMap<>();
        for (String column : FUNNEL) {
            put(figures, column, group.path(column));
        }
        for (String column : COST) {
            put(figures, column, group.path("cost").path(column.substring("cost.".length())));
        }
        return figures;
    }

    private static void put(Map<String, String> figures, String column, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull()) {
            figures.put(column, value.asText());
        }
    }

    private static String label(String row) {
        return ALL.equals(row) ? ALL : "variant " + row;
    }

    private static String shown(Map<String, String> figures, String column) {
        return figures.getOrDefault(column, "-");
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    }
}
