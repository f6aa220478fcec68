package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.metrics.service.EngagementFacts;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.FactWriter.await;
import static io.sohbet.metrics.rest.FactWriter.status;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures per message type, per send window (hours of the business time zone, Europe/Istanbul, UTC+3) and per segment
 * (membership when the message was sent), checked against counts worked out by hand for seven recipients of one
 * campaign:
 * <pre>
 * s  type         sent (UTC → Istanbul)      what happened                          segment G at the send
 * 1  template     06:30 → 09:30 (09-12)      delivered, read 09:00 UTC, clicked      member
 * 2  template     06:00 → 09:00 (09-12)      delivered                               member
 * 3  image        10:00 → 13:00 (12-15)      delivered, read, ordered a day later    never a member
 * 4  image        16:30 → 19:30 (18-21)      delivered, clicked, no read receipt     member
 * 5  interactive  20:00 → 23:00 (21-24)      failed 131026                           entered after the send
 * 6  interactive  05:00 → 08:00 (00-09)      delivered, read, replied quoting it     left before the send
 * 7  template     21:30 → 00:30 next day     delivered                               member
 *                 (00-09)
 * </pre>
 */
@QuarkusTest
class DimensionsTest {

    @Inject
    EngagementFacts facts;

    final String run = Long.toHexString(System.nanoTime());
    // a Monday of 2039, a different one each run: no other test sends then
    final Instant day = Instant.parse("2039-01-03T00:00:00Z").plus(Duration.ofDays(7L * Math.floorMod(System.nanoTime(), 100)));
    final String campaign = "c-dim-" + run;
    final String segment = "seg-dim-" + run;

    @Test
    void figuresByTypeSendWindowAndSegment() throws Throwable {
        load();

        Map<String, Map<String, Object>> byType = groups(summary(Map.of("by", "type", "campaignId", campaign)));
        assertThat(byType).containsOnlyKeys("image", "interactive", "template");
        expect(byType.get("template"), "sent 3, delivered 3, read 1, opened 1, failed 0, recipients 3, readers 1, clicked 1, "
                + "converted 0, optedOut 0, replied 0, engaged 1, deliveryRate 100.0, openRate 33.33, clickThroughRate 100.0, "
                + "conversionRate 0.0, engagementRate 100.0");
        expect(byType.get("image"), "sent 2, delivered 2, read 1, opened 2, failed 0, readers 2, clicked 1, converted 1, "
                + "replied 0, engaged 1, openRate 100.0, clickThroughRate 50.0, conversionRate 50.0, engagementRate 50.0");
        expect(byType.get("interactive"), "sent 2, delivered 1, read 1, opened 1, failed 1, readers 1, clicked 0, converted 0, "
                + "replied 1, engaged 1, deliveryRate 50.0, openRate 100.0, clickThroughRate 0.0, engagementRate 100.0");

        Map<String, Map<String, Object>> byWindow = groups(summary(Map.of("by", "send-window", "campaignId", campaign)));
        assertThat(byWindow).containsOnlyKeys("00-09", "09-12", "12-15", "18-21", "21-24");
        expect(byWindow.get("00-09"), "sent 2, delivered 2, read 1, opened 1, readers 1, replied 1, engaged 1, openRate 50.0");
        expect(byWindow.get("09-12"), "sent 2, delivered 2, read 1, opened 1, readers 1, clicked 1, openRate 50.0, "
                + "clickThroughRate 100.0");
        expect(byWindow.get("12-15"), "sent 1, delivered 1, read 1, readers 1, converted 1, conversionRate 100.0");
        expect(byWindow.get("18-21"), "sent 1, delivered 1, read 0, opened 1, readers 1, clicked 1, openRate 100.0");
        expect(byWindow.get("21-24"), "sent 1, delivered 0, failed 1, opened 0, readers 0, deliveryRate 0.0");

        // the campaign view gives the same groups
        Response view = given().config(MetricsPropertyTest.DOUBLES).auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign);
        view.then().statusCode(200);
        assertThat(groups(view.<List<Map<String, Object>>>path("messageTypes"))).isEqualTo(byType);
        assertThat(groups(view.<List<Map<String, Object>>>path("sendWindows"))).isEqualTo(byWindow);

        // a message type as a filter
        expect(groups(summary(Map.of("campaignId", campaign, "messageType", "image"))).get("all"),
                "sent 2, opened 2, converted 1");

        // segment G: members when the message was sent are s1, s2, s4 and s7
        expect(groups(summary(Map.of("campaignId", campaign, "segmentId", segment))).get("all"), "sent 4, delivered 4, read 1, "
                + "opened 2, failed 0, recipients 4, readers 2, clicked 2, converted 0, replied 0, engaged 2, openRate 50.0, "
                + "clickThroughRate 100.0");
        Map<String, Map<String, Object>> segmentTypes = groups(summary(Map.of("by", "type", "campaignId", campaign,
                "segmentId", segment)));
        assertThat(segmentTypes).containsOnlyKeys("image", "template");
        expect(segmentTypes.get("template"), "sent 3, read 1, clicked 1");
        expect(segmentTypes.get("image"), "sent 1, read 0, opened 1, clicked 1");
        Map<String, Map<String, Object>> segmentWindows = groups(summary(Map.of("by", "send-window", "campaignId", campaign,
                "segmentId", segment)));
        assertThat(segmentWindows).containsOnlyKeys("00-09", "09-12", "18-21");
        expect(segmentWindows.get("00-09"), "sent 1, delivered 1, opened 0");
        expect(segmentWindows.get("09-12"), "sent 2, clicked 1");

        // read times of the segment: s1's read at 12:00 in Istanbul, and its send windows
        Response readTimes = given().config(MetricsPropertyTest.DOUBLES).auth().oauth2(analyst()).queryParam("campaignId", campaign).queryParam("segmentId", segment)
                .when().get("/api/metrics/read-times");
        readTimes.then().statusCode(200);
        List<Integer> hourly = readTimes.path("hourly");
        assertThat(hourly.get(12)).isEqualTo(1);
        assertThat(hourly.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
        assertThat(groups(readTimes.<List<Map<String, Object>>>path("sendWindows"))).isEqualTo(segmentWindows);
    }

    void load() throws Throwable {
        FactWriter w = new FactWriter(facts);
        Object[][] sends = {
                {1, "template", "06:30"}, {2, "template", "06:00"}, {3, "image", "10:00"}, {4, "image", "16:30"},
                {5, "interactive", "20:00"}, {6, "interactive", "05:00"}, {7, "template", "21:30"}};
        for (Object[] s : sends) {
            int i = (int) s[0];
            Instant sent = at((String) s[2]);
            await(w.message(subject(i), wamid(i), campaign, "A", (String) s[1], sent));
            await(w.statuses(List.of(Map.entry(subject(i), i == 5 ? status(wamid(i), "failed", sent.plusSeconds(3), 131026)
                    : status(wamid(i), "delivered", sent.plusSeconds(5), null)))));
        }
        await(w.statuses(List.of(Map.entry(subject(1), status(wamid(1), "read", at("09:00"), null)),
                Map.entry(subject(3), status(wamid(3), "read", at("11:00"), null)),
                Map.entry(subject(6), status(wamid(6), "read", at("06:00"), null)))));
        await(w.click("click:" + wamid(1), subject(1), campaign, "A", at("09:05")));
        await(w.click("click:" + wamid(4), subject(4), campaign, "A", at("17:00")));
        await(w.order(subject(3), "dim-" + run + "-o3", "order.created", at("11:30").plus(Duration.ofDays(1))));
        await(w.reply(subject(6), "in.dim." + run + ".6", at("07:00"), "text", null, null, wamid(6), null));
        for (int i : new int[] {1, 2, 4, 7}) {
            await(facts.membership(subject(i), segment, "entered", day.minus(Duration.ofDays(1))));
        }
        await(facts.membership(subject(5), segment, "entered", at("20:30")));
        await(facts.membership(subject(6), segment, "entered", day.minus(Duration.ofDays(2))));
        await(facts.membership(subject(6), segment, "left", at("04:00")));
    }

    Instant at(String utc) {
        return day.plus(Duration.between(java.time.LocalTime.MIDNIGHT, java.time.LocalTime.parse(utc)));
    }

    String subject(int i) {
        return "dim" + run + "s" + i + "padding";
    }

    String wamid(int i) {
        return "wamid.dim." + run + "." + i;
    }

    static Response summary(Map<String, String> query) {
        Response r = given().config(MetricsPropertyTest.DOUBLES).auth().oauth2(analyst()).queryParams(query).when().get("/api/metrics/summary");
        r.then().statusCode(200);
        return r;
    }

    static Map<String, Map<String, Object>> groups(Response summary) {
        return groups(summary.<List<Map<String, Object>>>path("groups"));
    }

    static Map<String, Map<String, Object>> groups(List<Map<String, Object>> groups) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(String.valueOf(g.get("dimension")), g));
        return out;
    }

    /** Checks "name value, …": whole numbers as counts, decimals as rates (percent). */
    static void expect(Map<String, Object> group, String figures) {
        assertThat(group).as("group").isNotNull();
        for (String figure : figures.split(",\\s*")) {
            String[] nv = figure.trim().split(" ");
            Object got = group.get(nv[0]);
            if (nv[1].contains(".")) {
                assertThat(got).as(group.get("dimension") + " " + nv[0]).isInstanceOf(Number.class);
                assertThat(((Number) got).doubleValue()).as(group.get("dimension") + " " + nv[0]).isEqualTo(Double.parseDouble(nv[1]));
            } else {
                assertThat(got).as(group.get("dimension") + " " + nv[0]).isEqualTo(Integer.valueOf(nv[1]));
            }
        }
    }
}
