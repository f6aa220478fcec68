package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.metrics.rest.MetricsResourceTest.Sent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static io.sohbet.metrics.rest.MetricsResourceTest.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost and return of a campaign, compared exactly with a hand calculation from a small rate card and a known set of
 * events, all of them through Kafka and every status delivered twice (Kafka redelivers): a message is charged once, at
 * the price in effect on the day (Istanbul) it was delivered, for its recipient's country (else the card's '*' price);
 * free entry-point messages and failed ones cost nothing; a charged message without a price is counted as unpriced.
 */
@QuarkusTest
class CostTest {

    /** 23:00 on 31 July in Istanbul: the card's TR marketing price changes at the next midnight there. */
    static final Instant SEND = Instant.parse("2026-07-31T20:00:00Z");
    static final String CARD = """
            country,category,effective_from,price,currency
            TR,marketing,2026-01-01,1.10,TRY
            TR,marketing,2026-08-01,1.25,TRY
            TR,utility,2026-01-01,0.30,TRY
            *,marketing,2026-01-01,2.00,TRY
            """;

    static String admin() {
        return TestTokens.person("sohbet-metrics", "ayse", "admin").sign();
    }

    @Test
    void costAndReturnEqualTheHandCalculation() throws Exception {
        given().auth().oauth2(admin()).contentType("text/csv").body(CARD).when().post("/api/metrics/rate-card")
                .then().statusCode(200);

        String run = Long.toHexString(System.nanoTime());
        String campaign = "c-cost-" + run;
        String segment = "seg-cost-" + run;
        List<Sent> events = new ArrayList<>();
        // s1 (A, TR): delivered 23:30 on 31 July in Istanbul → the July price 1.10; reads, clicks and orders 420 TRY
        String s1 = subject(run, 1);
        message(events, s1, run, 1, campaign, "A");
        events.add(status(s1, wamid(run, 1), "sent", SEND.plusSeconds(1), "marketing", "regular", "TR"));
        events.add(status(s1, wamid(run, 1), "delivered", SEND.plus(Duration.ofMinutes(30)), null, null, "TR"));
        events.add(status(s1, wamid(run, 1), "read", SEND.plus(Duration.ofMinutes(40)), null, null, "TR"));
        events.add(event(Topics.LINK_CLICK, s1, "click:" + run + ":1", new LinkClick(campaign, "A", "cta", "https://shop.example/",
                SEND.plus(Duration.ofHours(1)))));
        events.add(order(s1, "o-" + run + "-1", SEND.plus(Duration.ofHours(2)), "420.00", "TRY"));
        // s2 (A, TR): pricing only on its delivered status, 00:30 on 1 August in Istanbul → the August price 1.25; the
        // delivered status comes a second time from Meta (a retry with its own event id); orders in EUR: no TRY revenue
        String s2 = subject(run, 2);
        message(events, s2, run, 2, campaign, "A");
        events.add(status(s2, wamid(run, 2), "sent", SEND.plusSeconds(1), null, null, "TR"));
        events.add(status(s2, wamid(run, 2), "delivered", SEND.plus(Duration.ofMinutes(90)), "marketing", "regular", "TR"));
        events.add(status(s2, wamid(run, 2), "delivered", SEND.plus(Duration.ofMinutes(95)), "marketing", "regular", "TR"));
        events.add(status(s2, wamid(run, 2), "read", SEND.plus(Duration.ofHours(3)), null, null, "TR"));
        events.add(order(s2, "o-" + run + "-2", SEND.plus(Duration.ofHours(4)), "99.90", "EUR"));
        // s3 (B, DE): no DE price on the card → the '*' marketing price 2.00
        String s3 = subject(run, 3);
        message(events, s3, run, 3, campaign, "B");
        events.add(status(s3, wamid(run, 3), "sent", SEND.plusSeconds(1), "marketing", "regular", "DE"));
        events.add(status(s3, wamid(run, 3), "delivered", SEND.plusSeconds(20), null, null, "DE"));
        // s4 (B, TR): a free entry-point message: delivered, costs nothing
        String s4 = subject(run, 4);
        message(events, s4, run, 4, campaign, "B");
        events.add(status(s4, wamid(run, 4), "sent", SEND.plusSeconds(1), "marketing", "free_entry_point", "TR"));
        events.add(status(s4, wamid(run, 4), "delivered", SEND.plusSeconds(20), null, null, "TR"));
        // s5 (B, TR): utility 0.30
        String s5 = subject(run, 5);
        message(events, s5, run, 5, campaign, "B");
        events.add(status(s5, wamid(run, 5), "sent", SEND.plusSeconds(1), "utility", "regular", "TR"));
        events.add(status(s5, wamid(run, 5), "delivered", SEND.plusSeconds(20), null, null, "TR"));
        // s6 (A, TR): failed, never delivered: nothing to pay
        String s6 = subject(run, 6);
        message(events, s6, run, 6, campaign, "A");
        events.add(status(s6, wamid(run, 6), "sent", SEND.plusSeconds(1), "marketing", "regular", "TR"));
        events.add(status(s6, wamid(run, 6), "failed", SEND.plusSeconds(20), null, null, "TR"));
        // s7 (A, US): authentication-international (the pricing object's spelling) has no price: charged but unpriced
        String s7 = subject(run, 7);
        message(events, s7, run, 7, campaign, "A");
        events.add(status(s7, wamid(run, 7), "sent", SEND.plusSeconds(1), "authentication-international", "regular", "US"));
        events.add(status(s7, wamid(run, 7), "delivered", SEND.plusSeconds(20), null, null, "US"));
        // s1 and s3 were in the segment when the campaign was sent
        for (String member : List.of(s1, s3)) {
            events.add(event(Topics.SEGMENT_MEMBERSHIP, member, "membership:" + segment + ":" + member,
                    new SegmentMembership(segment, SegmentMembership.ENTERED, SEND.minus(Duration.ofDays(1)))));
        }
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (Sent e : events) {
                kafka.send(e.topic(), e.key(), e.event());
                kafka.send(e.topic(), e.key(), e.event()); // redelivered
            }
        }

        // by hand. Charged: s1 1.10 + s2 1.25 (A), s3 2.00 + s5 0.30 (B), s7 unpriced (A); s4 free, s6 failed.
        BigDecimal a = new BigDecimal("1.10").add(new BigDecimal("1.25"));
        BigDecimal b = new BigDecimal("2.00").add(new BigDecimal("0.30"));
        BigDecimal all = a.add(b);
        BigDecimal revenue = new BigDecimal("420.00"); // s1's order; s2's is in EUR
        Response report = await(campaign, 2, revenue);
        JsonPath json = exact(report);

        Map<String, Object> overall = json.getMap("overall.cost");
        assertThat(overall).containsEntry("currency", "TRY").containsEntry("charged", 5).containsEntry("free", 1)
                .containsEntry("unpriced", 1).containsEntry("revenueCurrency", "TRY");
        assertThat(json.getInt("overall.delivered")).isEqualTo(6);
        assertThat(json.getInt("overall.opened")).isEqualTo(2);
        assertThat(json.getInt("overall.clicked")).isEqualTo(1);
        assertThat(json.getInt("overall.converted")).isEqualTo(2);
        assertThat(money(json, "overall.cost.amount")).isEqualByComparingTo(all).isEqualByComparingTo("4.65");
        assertThat(money(json, "overall.cost.perDelivered")).isEqualByComparingTo(div(all, 6)).isEqualByComparingTo("0.7750");
        assertThat(money(json, "overall.cost.perRead")).isEqualByComparingTo(div(all, 2)).isEqualByComparingTo("2.3250");
        assertThat(money(json, "overall.cost.perClick")).isEqualByComparingTo(div(all, 1));
        assertThat(money(json, "overall.cost.perConversion")).isEqualByComparingTo(div(all, 2));
        assertThat(money(json, "overall.cost.revenue")).isEqualByComparingTo(revenue);
        assertThat(money(json, "overall.cost.returnOnSpend")).isEqualByComparingTo(roas(revenue, all)).isEqualByComparingTo("90.32");

        // per variant: A = s1, s2, s6, s7; B = s3, s4, s5
        assertThat(json.getList("variants.dimension")).containsExactly("A", "B");
        assertThat(money(json, "variants[0].cost.amount")).isEqualByComparingTo(a);
        assertThat(json.getInt("variants[0].cost.charged")).isEqualTo(3);
        assertThat(json.getInt("variants[0].cost.unpriced")).isEqualTo(1);
        assertThat(money(json, "variants[0].cost.perDelivered")).isEqualByComparingTo(div(a, 3));
        assertThat(money(json, "variants[0].cost.returnOnSpend")).isEqualByComparingTo(roas(revenue, a)).isEqualByComparingTo("178.72");
        assertThat(money(json, "variants[1].cost.amount")).isEqualByComparingTo(b);
        assertThat(json.getInt("variants[1].cost.free")).isEqualTo(1);
        assertThat(money(json, "variants[1].cost.revenue")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(money(json, "variants[1].cost.returnOnSpend")).isEqualByComparingTo("0.00");
        assertThat(json.getString("variants[1].cost.perClick")).isNull();

        // per pricing category (the hyphenated spelling is the underscored category)
        assertThat(json.getList("categories.dimension")).containsExactly("authentication_international", "marketing", "utility");
        assertThat(money(json, "categories[0].cost.amount")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(json.getInt("categories[0].cost.unpriced")).isEqualTo(1);
        assertThat(money(json, "categories[1].cost.amount")).isEqualByComparingTo(new BigDecimal("1.10").add(new BigDecimal("1.25"))
                .add(new BigDecimal("2.00")));
        assertThat(money(json, "categories[2].cost.amount")).isEqualByComparingTo("0.30");

        // per segment (membership at send time): s1 and s3
        long deadline = System.currentTimeMillis() + 30_000;
        Response segmentReport;
        do { // the memberships are consumed on their own topic
            segmentReport = given().auth().oauth2(analyst()).queryParam("campaignId", campaign).queryParam("segmentId", segment)
                    .when().get("/api/metrics/summary");
        } while (!Integer.valueOf(2).equals(segmentReport.path("groups[0].sent")) && System.currentTimeMillis() < deadline
                && sleep());
        JsonPath bySegment = exact(segmentReport.then().statusCode(200).extract().response());
        assertThat(bySegment.getInt("groups[0].sent")).isEqualTo(2);
        BigDecimal segmentCost = new BigDecimal("1.10").add(new BigDecimal("2.00"));
        assertThat(money(bySegment, "groups[0].cost.amount")).isEqualByComparingTo(segmentCost);
        assertThat(money(bySegment, "groups[0].cost.revenue")).isEqualByComparingTo(revenue);
        assertThat(money(bySegment, "groups[0].cost.returnOnSpend")).isEqualByComparingTo(roas(revenue, segmentCost));

        // per category over the summary too
        JsonPath byCategory = exact(given().auth().oauth2(analyst()).queryParam("campaignId", campaign).queryParam("by", "category")
                .when().get("/api/metrics/summary").then().statusCode(200).extract().response());
        assertThat(byCategory.getList("groups.dimension")).containsExactly("authentication_international", "marketing", "utility");

        // a price added later for the US prices s7 from then on: read-time pricing, the same message still counted once
        given().auth().oauth2(admin()).contentType("text/csv").body("country,category,effective_from,price,currency\n"
                + "US,authentication_international,2026-07-01,0.0123,TRY\n").when().post("/api/metrics/rate-card").then().statusCode(200);
        JsonPath repriced = exact(given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign).then()
                .statusCode(200).extract().response());
        assertThat(money(repriced, "overall.cost.amount")).isEqualByComparingTo(all.add(new BigDecimal("0.0123")));
        assertThat(repriced.getInt("overall.cost.unpriced")).isZero();
        assertThat(repriced.getInt("overall.cost.charged")).isEqualTo(5);
    }

    private static Response await(String campaign, int converted, BigDecimal revenue) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Response report;
        do {
            Thread.sleep(300);
            report = given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign);
        } while (!(report.statusCode() == 200 && Integer.valueOf(7).equals(report.path("overall.sent"))
                && Integer.valueOf(6).equals(report.path("overall.delivered")) && Integer.valueOf(2).equals(report.path("overall.read"))
                // the click comes on a topic of its own (link.click), consumed apart from the statuses and orders
                && Integer.valueOf(1).equals(report.path("overall.clicked"))
                && Integer.valueOf(converted).equals(report.path("overall.converted"))
                && report.path("overall.cost.revenue") != null
                && revenue.compareTo(new BigDecimal(report.path("overall.cost.revenue").toString())) == 0
                && Integer.valueOf(5).equals(report.path("overall.cost.charged")))
                && System.currentTimeMillis() < deadline);
        assertThat(report.statusCode()).isEqualTo(200);
        return report;
    }

    private static boolean sleep() {
        try {
            Thread.sleep(300);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The answer with its numbers as BigDecimal, exactly as sent. */
    private static JsonPath exact(Response response) {
        return new JsonPath(response.asString()).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static BigDecimal money(JsonPath json, String path) {
        Object value = json.get(path);
        assertThat(value).as(path).isNotNull();
        return new BigDecimal(value.toString());
    }

    private static BigDecimal div(BigDecimal amount, long units) {
        return amount.divide(BigDecimal.valueOf(units), 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal roas(BigDecimal revenue, BigDecimal cost) {
        return revenue.divide(cost, 2, RoundingMode.HALF_UP);
    }

    private static String subject(String run, int n) {
        return ("cost" + run + "s" + n + "-padding-padding-padding").substring(0, 32);
    }

    private static String wamid(String run, int n) {
        return "wamid.cost." + run + "." + n;
    }

    private static void message(List<Sent> events, String subject, String run, int n, String campaign, String variant) {
        events.add(event(Topics.CAMPAIGN_MESSAGE, subject, "cm:" + wamid(run, n),
                new CampaignMessage(wamid(run, n), campaign, variant, "template", SEND)));
    }

    static Sent status(String subject, String wamid, String status, Instant at, String category, String type, String country) {
        return event(Topics.WA_STATUS, subject, "wa.status:" + wamid + ":" + status + ":" + at.getEpochSecond(),
                new WaStatus(wamid, status, at, "pn", "individual", null, null, category, type, category == null ? null : "PMP",
                        category == null ? null : !type.startsWith("free"), null, List.of(), country));
    }

    private static Sent order(String subject, String orderId, Instant at, String total, String currency) {
        return event(Topics.COMMERCE_EVENT, subject, "order:" + orderId, new CommerceEvent("shop-" + orderId, "order.paid", at, orderId,
                null, new BigDecimal(total), currency, List.of(), null));
    }
}
