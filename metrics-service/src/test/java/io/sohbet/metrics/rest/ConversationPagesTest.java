package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.kit.Problem;
import io.sohbet.metrics.service.ConversationStats;
import io.sohbet.metrics.service.Conversations;
import io.sohbet.metrics.service.EngagementFacts;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.FactWriter.await;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Conversation times are measured a page of subjects at a time (the test profile's page size is 2): seven subjects over
 * four pages give exactly the figures of all seven; the range is bounded (default 30 days before now, at most 92 days)
 * and the measuring runs off the event loop.
 */
@QuarkusTest
class ConversationPagesTest {

    @Inject
    EngagementFacts facts;

    @Inject
    Conversations conversations;

    @Test
    void sevenSubjectsOverFourPagesGiveTheFiguresOfAll() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        // a Monday 07:00 UTC (10:00 in Istanbul) of 2022–2024, a different week each run: no other test writes there
        Instant monday = Instant.parse("2022-01-03T07:00:00Z").plus(Duration.ofDays(7L * Math.floorMod(System.nanoTime(), 150)));
        FactWriter w = new FactWriter(facts);
        for (int i = 1; i <= 7; i++) {
            String subject = "pages" + run + "s" + i + "pad";
            Instant asked = monday.plus(Duration.ofMinutes(i));
            await(w.reply(subject, "in.pages." + run + "." + i, asked, "text", null, null, null, null));
            // the business answers after i × 10 minutes (a message outside campaigns)
            await(w.statuses(List.of(java.util.Map.entry(subject, FactWriter.status("wamid.pages." + run + "." + i, "sent",
                    asked.plus(Duration.ofMinutes(10L * i)), null)))));
        }
        // responses 10 … 70 minutes: mean and median 40; each conversation ends at its reply (24 h of inactivity)
        given().auth().oauth2(analyst()).queryParam("from", monday.toString()).queryParam("to", monday.plus(Duration.ofHours(1)).toString())
                .when().get("/api/metrics/conversations").then().statusCode(200)
                .body("conversations", equalTo(7)).body("open", equalTo(0))
                .body("responseTime.samples", equalTo(7)).body("responseTime.mean", equalTo("PT40M"))
                .body("responseTime.median", equalTo("PT40M")).body("responseTime.meanInBusinessHours", equalTo("PT40M"))
                .body("firstResponseTime.median", equalTo("PT40M")).body("resolutionTime.samples", equalTo(7));
        // a range that holds only subjects 3 … 5 (asked at minutes 3, 4, 5)
        given().auth().oauth2(analyst()).queryParam("from", monday.plus(Duration.ofMinutes(3)).toString())
                .queryParam("to", monday.plus(Duration.ofSeconds(5 * 60 + 1)).toString())
                .when().get("/api/metrics/conversations").then().statusCode(200)
                .body("conversations", equalTo(3)).body("responseTime.mean", equalTo("PT40M"))
                .body("responseTime.median", equalTo("PT40M"));

        // the measuring of each page runs on a worker thread
        String[] thread = new String[1];
        ConversationStats stats = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> conversations
                .measure(monday, monday.plus(Duration.ofHours(1)), Instant.now())
                .invoke(() -> thread[0] = Thread.currentThread().getName()));
        assertThat(stats.conversations()).isEqualTo(7);
        assertThat(thread[0]).doesNotContain("eventloop");
    }

    @Test
    void theRangeIsBounded() {
        given().auth().oauth2(analyst()).queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-04-03T00:00:01Z")
                .when().get("/api/metrics/conversations").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/from"));
        given().auth().oauth2(analyst()).queryParam("from", "2026-01-01T00:00:00Z")
                .when().get("/api/metrics/conversations").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(analyst()).queryParam("to", "2026-01-01").when().get("/api/metrics/conversations").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/to"));
        given().auth().oauth2(analyst()).queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .when().get("/api/metrics/conversations").then().statusCode(400).body("errors[0].pointer", equalTo("/to"));
        // 92 days exactly is allowed; no range: the 30 days before now
        given().auth().oauth2(analyst()).queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-04-03T00:00:00Z")
                .when().get("/api/metrics/conversations").then().statusCode(200);
        io.restassured.response.Response latest = given().auth().oauth2(analyst()).when().get("/api/metrics/conversations");
        latest.then().statusCode(200);
        String from = latest.path("range.from");
        String to = latest.path("range.to");
        assertThat(Duration.between(Instant.parse(from), Instant.parse(to))).isEqualTo(Duration.ofDays(30));
        assertThat(Instant.parse(to)).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }
}
