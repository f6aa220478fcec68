package io.sohbet.console.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import io.sohbet.devstack.demo.CampaignFigures;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26's "Done when": the demo ends with the console's address of its campaign, and that page shows the campaign
 * with the same figures the demo printed. Both read metrics-service's {@code GET /api/metrics/campaigns/{id}} and
 * {@code GET /api/metrics/csat}; here the API's answer (shaped as metrics-service writes it for the demo's A/B campaign:
 * money with four decimals, the return with two, a figure without denominator left out) goes through the demo's own
 * code (devstack's {@link CampaignFigures}, what {@code Demo} prints) and through the console's page, and each figure
 * is compared, row by row (all recipients, variant A, variant B) and column by column.
 */
@QuarkusTest
class DemoFiguresTest extends SignedInTest {

    static final String CAMPAIGN = "3c9a7e21-5b4d-4f6e-8a1b-2c3d4e5f6a7b";
    static final String REPORT = """
            {"campaignId":"%s","range":{"from":"0001-01-01T00:00:00Z","to":"9999-12-31T00:00:00Z"},
             "overall":{"dimension":"all","sent":37,"delivered":36,"read":27,"opened":27,"failed":1,"recipients":37,"readers":27,
               "clicked":10,"converted":4,"optedOut":1,"replied":9,"engaged":12,"deliveryRate":97.3,"openRate":75.0,
               "clickThroughRate":37.04,"conversionRate":14.81,"optOutRate":2.7,"engagementRate":44.44,
               "cost":{"currency":"TRY","charged":36,"free":0,"unpriced":0,"tiered":0,"amount":16.5600,"perDelivered":0.4600,
                 "perRead":0.6133,"perClick":1.6560,"perConversion":4.1400,"revenueCurrency":"TRY","revenue":1240.00,"returnOnSpend":74.88}},
             "variants":[
              {"dimension":"A","sent":19,"delivered":19,"read":15,"opened":15,"failed":0,"recipients":19,"readers":15,
               "clicked":7,"converted":4,"optedOut":0,"replied":5,"engaged":8,"deliveryRate":100.0,"openRate":78.95,
               "clickThroughRate":46.67,"conversionRate":26.67,"optOutRate":0.0,"engagementRate":53.33,
               "cost":{"currency":"TRY","charged":19,"free":0,"unpriced":0,"tiered":0,"amount":8.7400,"perDelivered":0.4600,
                 "perRead":0.5827,"perClick":1.2486,"perConversion":2.1850,"revenueCurrency":"TRY","revenue":1240.00,"returnOnSpend":141.88}},
              {"dimension":"B","sent":18,"delivered":17,"read":12,"opened":12,"failed":1,"recipients":18,"readers":12,
               "clicked":3,"converted":0,"optedOut":1,"replied":4,"engaged":4,"deliveryRate":94.44,"openRate":70.59,
               "clickThroughRate":25.0,"conversionRate":0.0,"optOutRate":5.56,"engagementRate":33.33,
               "cost":{"currency":"TRY","charged":17,"free":0,"unpriced":0,"tiered":0,"amount":7.8200,"perDelivered":0.4600,
                 "perRead":0.6517,"perClick":2.6067,"revenueCurrency":"TRY","revenue":0.00,"returnOnSpend":0.00}}],
             "messageTypes":[],"sendWindows":[],"categories":[],
             "abTest":{"metric":"click-through","variants":[{"variant":"A","successes":7,"trials":15},{"variant":"B","successes":3,"trials":12}],
               "pValue":0.2684719234,"significant":false,"enoughSample":false,"minimumSamplePerVariant":100},
             "failures":{"total":1,"ecosystemLimited":0,"rateLimited":0,"byCode":[{"code":131026,"kind":"other","messages":1}]}}
            """.formatted(CAMPAIGN);

    @Test
    void theDemosCampaignPageShowsTheFiguresTheDemoPrints() {
        api.answer("/api/metrics/campaigns/" + CAMPAIGN, REPORT);
        Browser analyst = signIn("analyst");

        Document page = analyst.get("/analytics/campaigns/" + CAMPAIGN).html();
        CampaignFigures demo = CampaignFigures.of(CampaignFigures.json(REPORT), CampaignFigures.json(api.answerText("/api/metrics/csat")));

        assertThat(demo.rows().keySet()).containsExactly("all", "A", "B");
        assertThat(page.select("#variant-figures tbody tr").eachAttr("data-row")).containsExactly("all", "A", "B");
        List<String> printed = new ArrayList<>();
        for (String row : demo.rows().keySet()) {
            List<String> shown = new ArrayList<>(List.of(row.equals("all") ? "all" : "variant " + row));
            for (String column : CampaignFigures.FUNNEL) {
                String cell = cell(page, "#variant-figures", row, column);
                assertThat(cell).as(row + " " + column).isEqualTo(demo.figure(row, column).isEmpty() ? "–" : demo.figure(row, column));
                shown.add(column.endsWith("Rate") ? cell + "%" : cell);
            }
            printed.add(String.join(" ", shown));
            shown = new ArrayList<>(List.of(row.equals("all") ? "all" : "variant " + row));
            for (String column : CampaignFigures.COST) {
                String cell = cell(page, "#variant-cost", row, column);
                assertThat(cell).as(row + " " + column).isEqualTo(demo.figure(row, column).isEmpty() ? "–" : demo.figure(row, column));
                shown.add(cell.equals("–") ? "-" : cell);
            }
            printed.add(String.join(" ", shown));
        }
        // and the demo's printed lines are those figures, in its columns
        List<String> lines = new ArrayList<>(demo.funnelLines().subList(1, 4));
        for (int i = 0; i < 3; i++) {
            lines.add(2 * i + 1, demo.costLines().get(i + 1));
        }
        assertThat(lines.stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList()).containsExactlyElementsOf(printed);
        // money as the API wrote it (not the double 0.46), and a figure without denominator left out on both sides
        assertThat(cell(page, "#variant-cost", "all", "cost.perDelivered")).isEqualTo("0.4600");
        assertThat(cell(page, "#variant-cost", "B", "cost.perConversion")).isEqualTo("–");
        // CSAT and the A/B test's p-value
        assertThat(page.selectFirst("#csat-score").text()).isEqualTo(demo.csatScore());
        assertThat(page.selectFirst("#csat-responses").text()).isEqualTo(demo.csatResponses());
        assertThat(demo.abTest()).contains("p = " + page.selectFirst("#ab-p").text() + ",");
        assertThat(page.selectFirst("#ab-p").text()).isEqualTo("0.2684719234");
    }

    private static String cell(Document page, String table, String row, String column) {
        Element cell = page.selectFirst(table + " tr[data-row='" + row + "'] td[data-key='" + column + "']");
        assertThat(cell).as(table + " " + row + " " + column).isNotNull();
        return cell.text();
    }
}
