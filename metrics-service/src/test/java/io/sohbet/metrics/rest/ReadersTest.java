package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.metrics.service.EngagementFacts;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers are the recipients WhatsApp reported reading, and those who clicked, replied, tapped or ordered: many people
 * turn read receipts off and still act (domain.md §2). Clickers were not limited to readers, so a variant with more
 * clickers than reported reads had a CTR over 100 %, the chi-square table a negative cell and the campaign's view
 * answered 500. Conversions run from the latest read or click before the order (last touch), not from the first.
 */
@QuarkusTest
class ReadersTest {

    @Inject
    EngagementFacts engagement;

    @Test
    void peopleWithReadReceiptsOffAreReadersAndTheCampaignViewStaysWithinHundredPercent() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        String campaign = "readers-" + run;
        Instant t0 = Instant.parse("2026-05-04T07:00:00Z");
        FactWriter w = new FactWriter(engagement);
        // A: s1 reads and clicks; s2 and s3 click with receipts off (s2 then buys, s3 replies too)
        // B: s4 reads; s5 reads and clicks; s6 does nothing; s7 reads on day 0, clicks on day 3, buys on day 9
        for (int i = 1; i <= 7; i++) {
            String s = subject(run, i);
            FactWriter.await(w.message(s, wamid(run, i), campaign, i <= 3 ? "A" : "B", "template", t0.plusSeconds(i)));
            FactWriter.await(w.statuses(List.of(Map.entry(s, FactWriter.status(wamid(run, i), "delivered", t0.plusSeconds(10 + i), null)))));
        }
        for (int i : new int[] {1, 4, 5, 7}) {
            FactWriter.await(w.statuses(List.of(Map.entry(subject(run, i), FactWriter.status(wamid(run, i), "read",
                    t0.plus(Duration.ofMinutes(i)), null)))));
        }
        for (int i : new int[] {1, 2, 3, 5}) {
            FactWriter.await(w.click("click:" + run + i, subject(run, i), campaign, i <= 3 ? "A" : "B", t0.plus(Duration.ofHours(i))));
        }
        FactWriter.await(w.order(subject(run, 2), "o2-" + run, "order.created", t0.plus(Duration.ofDays(1))));
        FactWriter.await(w.reply(subject(run, 3), "in3-" + run, t0.plus(Duration.ofHours(5)), "text", null, null, wamid(run, 3), null));
        FactWriter.await(w.click("click:" + run + "7", subject(run, 7), campaign, "B", t0.plus(Duration.ofDays(3))));
        FactWriter.await(w.order(subject(run, 7), "o7-" + run, "order.created", t0.plus(Duration.ofDays(9))));

        Response r = given().auth().oauth2(MetricsResourceTest.analyst()).queryParam("metric", "click-through")
                .when().get("/api/metrics/campaigns/" + campaign);
        r.then().statusCode(200);
        assertThat(r.<Integer>path("overall.read")).isEqualTo(4);
        assertThat(r.<Integer>path("overall.readers")).isEqualTo(6); // s1, s2, s3, s4, s5, s7
        assertThat(r.<Integer>path("overall.opened")).isEqualTo(6);
        assertThat(r.<Integer>path("overall.clicked")).isEqualTo(5);
        assertThat(r.<Integer>path("overall.converted")).as("s2 clicked and bought without a read; s7 bought 6 days after "
                + "its last click, 9 after its read").isEqualTo(2);
        assertThat(r.<Float>path("overall.clickThroughRate")).isEqualTo(83.33f);
        assertThat(r.<Float>path("overall.openRate")).isEqualTo(85.71f);
        assertThat(r.<Float>path("variants.find { it.dimension == 'A' }.clickThroughRate")).isEqualTo(100.0f);
        assertThat(r.<Float>path("variants.find { it.dimension == 'A' }.engagementRate")).isEqualTo(100.0f);
        assertThat(r.<Integer>path("variants.find { it.dimension == 'A' }.readers")).isEqualTo(3);
        assertThat(r.<Integer>path("abTest.variants.find { it.variant == 'A' }.trials")).isEqualTo(3);
        assertThat(r.<Float>path("abTest.pValue")).isBetween(0f, 1f);
        for (String metric : List.of("open", "conversion", "engagement")) {
            given().auth().oauth2(MetricsResourceTest.analyst()).queryParam("metric", metric)
                    .when().get("/api/metrics/campaigns/" + campaign).then().statusCode(200);
        }
    }

    static String subject(String run, int i) {
        return "readers" + run + "s" + i;
    }

    static String wamid(String run, int i) {
        return "wamid.readers." + run + "." + i;
    }
}
