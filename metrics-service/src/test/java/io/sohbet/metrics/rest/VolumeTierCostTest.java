package io.sohbet.metrics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.kit.Problem;
import io.sohbet.metrics.rest.MetricsResourceTest.Sent;
import io.sohbet.metrics.service.MarketRegions;
import io.sohbet.metrics.service.VolumeTiers;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.CostTest.admin;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static io.sohbet.metrics.rest.MetricsResourceTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Volume tiers (issue 22): Meta's {@code account_update} reports ({@code VOLUME_BASED_PRICING_TIER_UPDATE}), written by
 * hand as webhook-service publishes them on {@code wa.account}, go through the real broker into metrics-service, and a
 * campaign's utility and authentication messages are priced at the rate of the tier in effect when each was delivered
 * (telescopic: earlier messages of the month keep the rate of their band), else the base rate; marketing keeps its
 * price. Every report is sent twice and out of order. India (IN) and March 2026 are this test's alone.
 */
@QuarkusTest
class VolumeTierCostTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CARD = """
            country,category,effective_from,price,currency,tier
            IN,utility,2026-01-01,0.1000,TRY,
            IN,utility,2026-01-01,0.0800,TRY,250001:2000000
            IN,utility,2026-01-01,0.0600,TRY,2000001:
            IN,authentication,2026-01-01,0.1200,TRY,
            IN,authentication,2026-01-01,0.0900,TRY,250001:2000000
            IN,marketing,2026-01-01,1.0000,TRY,
            """;

    @Inject
    Pool pool;

    @Test
    void tieredMessagesCostTheRateOfTheirTierAtDeliveryAsCalculatedByHand() throws Throwable {
        given().auth().oauth2(admin()).contentType("text/csv").body(CARD).when().post("/api/metrics/rate-card")
                .then().statusCode(200).body("added", equalTo(6));

        List<CloudEvent> reports = List.of(
                // utility reaches 2000001: on 20 March, sent before the report of 10 March (out of order)
                report("UTILITY", "INDIA", "2026-03", "2000001:", "2026-03-20T00:00:00Z"),
                report("UTILITY", "INDIA", "2026-03", "250001:2000000", "2026-03-10T00:00:00Z"),
                // a band the card has no price for: its messages cost the base rate
                report("UTILITY", "INDIA", "2026-03", "1:250000", "2026-03-01T00:00:00Z"),
                // authentication (the region as a name in mixed case) from 15 March
                report("AUTHENTICATION", "India", "2026-03", "250001:2000000", "2026-03-15T00:00:00Z"),
                // February's tier ends with February: tiers start again each month
                report("UTILITY", "INDIA", "2026-02", "2000001:", "2026-02-27T00:00:00Z"),
                // marketing has no volume tiers, a region nobody configured has no countries, a report without a tier
                report("MARKETING", "INDIA", "2026-03", "250001:2000000", "2026-03-02T00:00:00Z"),
                report("UTILITY", "REST_OF_WESTERN_EUROPE", "2026-03", "250001:2000000", "2026-03-02T00:00:00Z"),
                report("UTILITY", "INDIA", "2026-03", "", "2026-03-03T00:00:00Z"));

        String run = Long.toHexString(System.nanoTime());
        String campaign = "c-tier-" + run;
        List<Sent> events = new ArrayList<>();
        message(events, run, 1, campaign, "utility", "2026-03-05T12:00:00Z");        // tier 1:250000, no price → 0.1000
        message(events, run, 2, campaign, "utility", "2026-03-12T12:00:00Z");        // 250001:2000000 → 0.0800
        message(events, run, 3, campaign, "utility", "2026-03-25T12:00:00Z");        // 2000001: → 0.0600
        message(events, run, 4, campaign, "authentication", "2026-03-12T12:00:00Z"); // before its tier → 0.1200
        message(events, run, 5, campaign, "authentication", "2026-03-16T12:00:00Z"); // 250001:2000000 → 0.0900
        message(events, run, 6, campaign, "marketing", "2026-03-25T12:00:00Z");      // no tiers → 1.0000
        message(events, run, 7, campaign, "utility", "2026-03-31T22:00:00Z");        // 1 April in Istanbul → 0.1000
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (CloudEvent report : reports) {
                kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", report);
                kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", report); // redelivered
            }
            for (Sent e : events) {
                kafka.send(e.topic(), e.key(), e.event());
                kafka.send(e.topic(), e.key(), e.event());
            }
        }

        // every March report of India's utility and authentication messages once, February's apart; nothing else
        awaitRows("2026-03", 4);
        assertThat(rows("SELECT category || ' ' || tier || ' ' || to_char(tier_update_time AT TIME ZONE 'UTC', 'MM-DD') AS r "
                + "FROM volume_tier WHERE country = 'IN' AND effective_month = $1 ORDER BY tier_update_time", "2026-03"))
                .containsExactly("utility 1:250000 03-01", "utility 250001:2000000 03-10", "authentication 250001:2000000 03-15",
                        "utility 2000001: 03-20");
        assertThat(rows("SELECT tier FROM volume_tier WHERE country = 'IN' AND effective_month = $1", "2026-02")).containsExactly("2000001:");

        // by hand: 0.1000 + 0.0800 + 0.0600 + 0.1200 + 0.0900 + 1.0000 + 0.1000; three at a tier's rate
        BigDecimal expected = new BigDecimal("0.1000").add(new BigDecimal("0.0800")).add(new BigDecimal("0.0600"))
                .add(new BigDecimal("0.1200")).add(new BigDecimal("0.0900")).add(new BigDecimal("1.0000")).add(new BigDecimal("0.1000"));
        JsonPath json = report(campaign);
        assertThat(json.getInt("overall.cost.charged")).isEqualTo(7);
        assertThat(json.getInt("overall.cost.unpriced")).isZero();
        assertThat(json.getInt("overall.cost.tiered")).isEqualTo(3);
        assertThat(money(json, "overall.cost.amount")).isEqualByComparingTo(expected).isEqualByComparingTo("1.55");
        assertThat(json.getList("categories.dimension")).containsExactly("authentication", "marketing", "utility");
        assertThat(money(json, "categories[0].cost.amount")).isEqualByComparingTo("0.21");
        assertThat(money(json, "categories[1].cost.amount")).isEqualByComparingTo("1.00");
        assertThat(json.getInt("categories[1].cost.tiered")).isZero();
        assertThat(money(json, "categories[2].cost.amount")).isEqualByComparingTo("0.34");
        assertThat(json.getInt("categories[2].cost.tiered")).isEqualTo(2);

        // a report Meta sent late (and the ones before, again): prices are read when the report is, so the message it
        // covers is priced at its tier from now on and nothing else changes
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_ACCOUNT, "account:102290129340398",
                    report("UTILITY", "INDIA", "2026-03", "250001:2000000", "2026-03-04T00:00:00Z"));
            for (CloudEvent report : reports) {
                kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", report);
            }
        }
        awaitRows("2026-03", 5);
        JsonPath repriced = report(campaign);
        assertThat(money(repriced, "overall.cost.amount")).isEqualByComparingTo(expected.subtract(new BigDecimal("0.02")))
                .isEqualByComparingTo("1.53");
        assertThat(repriced.getInt("overall.cost.tiered")).isEqualTo(4);
        assertThat(repriced.getInt("overall.cost.charged")).isEqualTo(7);

        given().auth().oauth2(analyst()).queryParam("country", "IN").queryParam("category", "utility").when().get("/api/metrics/rate-card")
                .then().statusCode(200).body("tier", equalTo(List.of("", "2000001:", "250001:2000000")));

        // the report of the region nobody configured is kept by its region, and a start that knows it moves it per country
        assertThat(rows("SELECT tier FROM volume_tier_unmapped WHERE region = 'REST_OF_WESTERN_EUROPE' AND effective_month = $1",
                "2026-03")).containsExactly("250001:2000000");
        VolumeTiers configured = new VolumeTiers(pool, new MarketRegions(java.util.Map.of("Rest of Western Europe", "BE, NL")));
        assertThat(VertxContextSupport.subscribeAndAwait(configured::remap)).isEqualTo(1);
        assertThat(rows("SELECT country || ' ' || tier FROM volume_tier WHERE region = 'REST_OF_WESTERN_EUROPE' "
                + "AND effective_month = $1 ORDER BY country", "2026-03")).containsExactly("BE 250001:2000000", "NL 250001:2000000");
        assertThat(rows("SELECT tier FROM volume_tier_unmapped WHERE effective_month = $1", "2026-03")).isEmpty();
        assertThat(VertxContextSupport.subscribeAndAwait(configured::remap)).as("nothing left to move").isZero();
    }

    @Test
    void aWrongTierImportsNothing() {
        given().auth().oauth2(admin()).contentType("text/csv").body("country,category,effective_from,price,currency,tier\n"
                        + "PK,utility,2026-07-01,0.1000,TRY,\nPK,utility,2026-07-01,0.0800,TRY,gold\n"
                        + "PK,marketing,2026-07-01,1.0000,TRY,1:250000\n").when().post("/api/metrics/rate-card")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", startsWith("line 3: tier must be empty (the base rate) or a volume tier"))
                .body("errors[1].pointer", equalTo("/line/4")).body("errors[1].detail", startsWith("tier must be empty for marketing"));
        given().auth().oauth2(analyst()).queryParam("country", "PK").when().get("/api/metrics/rate-card")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    /** A webhook value as webhook-service publishes it (AccountAllowList keeps volume_tier_info.*). */
    static CloudEvent report(String category, String region, String month, String tier, String at) throws Exception {
        JsonNode value = JSON.readTree(("{'event':'VOLUME_BASED_PRICING_TIER_UPDATE','volume_tier_info':{'effective_month':'" + month
                + "','pricing_category':'" + category + "','region':'" + region + "','tier':'" + tier + "','tier_update_time':"
                + Instant.parse(at).getEpochSecond() + "}}").replace('\'', '"'));
        // the id webhook-service gives it: the field and a hash of the value, the same for Meta's retries
        return CloudEvent.of(Topics.WA_ACCOUNT, "wa.account:account_update:" + Integer.toHexString(value.toString().hashCode()),
                "/sohbet/webhook-service", Instant.parse(at), null, new WaAccount("account_update", "102290129340398", Instant.parse(at), value));
    }

    private static void message(List<Sent> events, String run, int n, String campaign, String category, String deliveredAt) {
        String subject = ("tier" + run + "s" + n + "-padding-padding-padding").substring(0, 32);
        String wamid = "wamid.tier." + run + "." + n;
        Instant delivered = Instant.parse(deliveredAt);
        events.add(event(Topics.CAMPAIGN_MESSAGE, subject, "cm:" + wamid, new CampaignMessage(wamid, campaign, "A", "template",
                delivered.minusSeconds(60))));
        events.add(CostTest.status(subject, wamid, "sent", delivered.minusSeconds(59), category, "regular", "IN"));
        events.add(CostTest.status(subject, wamid, "delivered", delivered, null, null, "IN"));
    }

    private void awaitRows(String month, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (rows("SELECT tier FROM volume_tier WHERE country = 'IN' AND effective_month = $1", month).size() < expected
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(300);
        }
        Thread.sleep(1_000); // a duplicate or an ignored report, if one were stored, would be in by now
    }

    private List<String> rows(String sql, String month) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.of(month)).map(rows -> {
                List<String> out = new ArrayList<>();
                rows.forEach(r -> out.add(r.getString(0)));
                return out;
            }));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonPath report(String campaign) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Response report;
        do {
            Thread.sleep(300);
            report = given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign);
        } while (!(report.statusCode() == 200 && Integer.valueOf(7).equals(report.path("overall.delivered"))
                && Integer.valueOf(7).equals(report.path("overall.cost.charged"))) && System.currentTimeMillis() < deadline);
        assertThat(report.statusCode()).isEqualTo(200);
        return new JsonPath(report.asString()).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static BigDecimal money(JsonPath json, String path) {
        Object value = json.get(path);
        assertThat(value).as(path).isNotNull();
        return new BigDecimal(value.toString());
    }
}
