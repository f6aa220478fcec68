package io.sohbet.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.ApiStub;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The analyst's pages: every number as metrics-service answered it, charts as SVG with a title and a table. */
@QuarkusTest
class AnalyticsPagesTest extends SignedInTest {

    private Browser analyst;

    @BeforeEach
    void setUp() {
        analyst = signIn("analyst");
    }

    @Test
    void theCampaignListShowsThePeriodsFiguresAsTheApiAnswered() {
        Document page = analyst.get("/analytics/campaigns?days=7").html();
        JsonNode group = api.answer("/api/metrics/summary").path("groups").get(0);

        Element row = page.selectFirst("tr[data-campaign=spring-sale]");
        assertThat(row.selectFirst(".sent").text()).isEqualTo(group.path("sent").asText());
        assertThat(row.selectFirst(".delivered").text()).isEqualTo(group.path("delivered").asText());
        assertThat(row.selectFirst(".delivery-rate").text()).isEqualTo(group.path("deliveryRate").asText());
        assertThat(row.selectFirst(".open-rate").text()).isEqualTo(group.path("openRate").asText());
        assertThat(row.selectFirst(".ctr").text()).isEqualTo(group.path("clickThroughRate").asText());
        assertThat(row.selectFirst(".conversion-rate").text()).isEqualTo(group.path("conversionRate").asText());
        assertThat(page.selectFirst("tr[data-campaign=quiet-one] .delivery-rate").text()).isEqualTo("–");
        // messages of no campaign: metrics-service's group without a dimension, shown without a link
        Element none = page.selectFirst("tr[data-campaign=\"\"]");
        assertThat(none.selectFirst("a")).isNull();
        assertThat(none.selectFirst(".sent").text()).isEqualTo("4");
        // this period and the one before, both by campaign, both as the analyst
        List<ApiStub.Call> calls = api.calls();
        assertThat(calls).hasSize(2).allSatisfy(c -> {
            assertThat(c.uri()).startsWith("/api/metrics/summary?by=campaign");
            assertThat(c.claims().path("preferred_username").asText()).isEqualTo("analyst");
        });
        assertThat(analyst.get("/analytics/campaigns?days=12").status()).isEqualTo(400);
    }

    @Test
    void theFunnelIsAnSvgWithATitleAndATableOfTheApisCounts() {
        Document page = analyst.get("/analytics/campaigns/spring-sale").html();
        JsonNode overall = api.answer("/api/metrics/campaigns/spring-sale").path("overall");

        Element svg = page.selectFirst("svg#funnel-chart");
        assertThat(svg.attr("role")).isEqualTo("img");
        assertThat(svg.selectFirst("title").text()).contains("spring-sale");
        assertThat(svg.select("g > title")).hasSize(5);
        for (String key : List.of("sent", "delivered", "read", "clicked", "converted", "failed")) {
            assertThat(page.selectFirst("#funnel-table td[data-key=" + key + "]").text()).as(key).isEqualTo(overall.path(key).asText());
        }
        for (String key : List.of("deliveryRate", "openRate", "clickThroughRate", "conversionRate", "optOutRate")) {
            assertThat(page.selectFirst("#rates td[data-key=" + key + "]").text()).as(key).isEqualTo(overall.path(key).asText());
        }
        // bars: their share of the sent messages on a 400-unit scale (120 sent, 100 delivered -> 333)
        assertThat(svg.select("rect.bar").stream().map(r -> r.attr("width")).toList()).containsExactly("400", "333", "200", "40", "10");
    }

    @Test
    void failuresAbVerdictCsatFeedbackAndCostAreTheApis() {
        Document page = analyst.get("/analytics/campaigns/spring-sale").html();
        JsonNode report = api.answer("/api/metrics/campaigns/spring-sale");

        assertThat(page.selectFirst("#failures-total").text()).isEqualTo(report.path("failures").path("total").asText());
        assertThat(Browser.texts(page, "#failures tbody tr td:first-child")).containsExactly("131049", "130429", "131026");
        // significant but a variant short of 100: promising, and how many each still needs
        assertThat(page.selectFirst("#ab-verdict").attr("data-verdict")).isEqualTo("promising");
        assertThat(page.selectFirst("#ab-p").text()).isEqualTo("0.0312");
        assertThat(Browser.texts(page, "#ab-variants tbody tr td:last-child")).containsExactly("40", "60");
        assertThat(page.selectFirst("#csat-score").text()).isEqualTo(api.answer("/api/metrics/csat").path("score").asText());
        assertThat(Browser.texts(page, "#csat tbody tr td")).containsExactly("1", "0", "2", "3", "4");
        assertThat(Browser.texts(page, "#keywords tbody tr td:first-child")).containsExactly("kargo", "fiyat");
        JsonNode cost = report.path("overall").path("cost");
        // as the API wrote it: four decimals, not the shortest number
        assertThat(page.selectFirst("#cost td[data-key=amount]").text()).isEqualTo("123.4500 " + cost.path("currency").asText());
        assertThat(page.selectFirst("#cost td[data-key=perDelivered]").text()).isEqualTo("1.2345");
        assertThat(page.selectFirst("#cost td[data-key=returnOnSpend]").text()).isEqualTo("12.15");
    }

    @Test
    void theReadHourHeatmapIsDaysByHoursInMetricsTimeZoneWithATable() {
        Document page = analyst.get("/analytics/campaigns/spring-sale?week=2026-11-23").html();
        JsonNode hourly = api.answer("/api/metrics/read-times").path("hourly");

        Element svg = page.selectFirst("svg#heatmap-chart");
        assertThat(svg.selectFirst("title").text()).contains("Europe/Istanbul");
        assertThat(svg.select("rect")).hasSize(8 * 24).allSatisfy(cell -> assertThat(cell.selectFirst("title")).isNotNull());
        assertThat(Browser.texts(page, "#heatmap-table tbody th")).startsWith("2026-11-23", "2026-11-24").hasSize(8);
        Element firstDay = page.select("#heatmap-table tbody tr").get(0);
        for (int h = 0; h < 24; h++) {
            assertThat(firstDay.select("td").get(h).text()).as("hour " + h).isEqualTo(hourly.get(h).asText());
        }
        // each day is its own question to metrics-service: the day's bounds in its time zone
        assertThat(api.calls().stream().map(ApiStub.Call::uri))
                .contains("/api/metrics/read-times?campaignId=spring-sale&from=2026-11-22T21:00:00Z&to=2026-11-23T21:00:00Z");
        assertThat(analyst.get("/analytics/campaigns/spring-sale?week=monday").status()).isEqualTo(400);
        assertThat(analyst.get("/analytics/campaigns/spring-sale?metric=revenue").status()).isEqualTo(400);
    }

    @Test
    void aCampaignMetricsServiceDoesNotKnowIsA404() {
        assertThat(analyst.get("/analytics/campaigns/nope").status()).isEqualTo(404);
        assertThat(analyst.get("/analytics/campaigns/" + "x".repeat(65)).status()).isEqualTo(404);
    }

    @Test
    void theHtmxHeadersAreNotNeededToRead() {
        assertThat(analyst.get("/analytics/campaigns", Map.of()).status()).isEqualTo(200);
    }
}
