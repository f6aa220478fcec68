package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.metrics.rest.MetricsResourceTest.Sent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static io.sohbet.metrics.rest.MetricsResourceTest.event;
import static io.sohbet.metrics.rest.MetricsResourceTest.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Metrics per segment count the messages whose recipient was in the segment when the message was sent, from the
 * {@code segment.membership} events segment-service publishes (duplicates included, as Kafka may redeliver).
 */
@QuarkusTest
class SegmentMetricsTest {

    static final Instant SEND = Instant.parse("2026-08-03T07:00:00Z"); // 10:00 in Istanbul

    @Inject
    Pool pool;

    @Test
    void aSegmentCountsOnlyMessagesSentWhileTheRecipientWasAMember() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        String campaign = "c-seg-" + run;
        String segment = "seg-" + run;
        String a = "seg" + run + "memberApadding";  // entered before the send; left after it
        String b = "seg" + run + "outsiderBpad";    // never in the segment
        String c = "seg" + run + "formerCpadding";  // entered and left before the send, came back after it
        Instant aEntered = SEND.minus(Duration.ofDays(1));
        Instant cEntered = SEND.minus(Duration.ofDays(2));
        Instant cLeft = SEND.minus(Duration.ofHours(1));
        Instant cBack = SEND.plus(Duration.ofDays(1));
        Instant aLeft = SEND.plus(Duration.ofDays(2));

        List<Sent> events = new ArrayList<>();
        // one subject's membership events share a key, so they are consumed in this order; each redelivery keeps its id
        Sent aEnters = membership(a, segment, SegmentMembership.ENTERED, aEntered);
        events.add(aEnters);
        events.add(aEnters);
        events.add(membership(a, segment, SegmentMembership.LEFT, aLeft));
        Sent cEnters = membership(c, segment, SegmentMembership.ENTERED, cEntered);
        events.add(cEnters);
        events.add(membership(c, segment, SegmentMembership.LEFT, cLeft));
        events.add(cEnters); // redelivered after its "left": must not reopen the closed interval
        events.add(membership(c, segment, SegmentMembership.ENTERED, cBack));
        for (String s : List.of(a, b, c)) {
            String wamid = "wamid.seg." + run + "." + s;
            events.add(event(Topics.CAMPAIGN_MESSAGE, s, "cm:" + wamid, new CampaignMessage(wamid, campaign, "A", "template", SEND)));
            events.add(status(s, wamid, "sent", SEND.plusSeconds(1), null));
            events.add(status(s, wamid, "delivered", SEND.plusSeconds(5), null));
        }
        events.add(status(a, "wamid.seg." + run + "." + a, "read", SEND.plus(Duration.ofHours(10)), null)); // 20:00 in Istanbul
        events.add(status(b, "wamid.seg." + run + "." + b, "read", SEND.plus(Duration.ofHours(1)), null));  // 11:00 in Istanbul
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (Sent e : events) {
                kafka.send(e.topic(), e.key(), e.event());
            }
        }

        // wait until every fact is stored: the messages, and each subject's last membership event (so all before it too)
        long deadline = System.currentTimeMillis() + 30_000;
        Response campaignMetrics;
        List<String> memberships;
        do {
            Thread.sleep(300);
            campaignMetrics = given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign);
            memberships = memberships(segment);
        } while (!(Integer.valueOf(3).equals(campaignMetrics.path("overall.delivered"))
                && Integer.valueOf(2).equals(campaignMetrics.path("overall.read"))
                && memberships.contains(a + " " + aEntered + " " + aLeft) && memberships.contains(c + " " + cBack + " open"))
                && System.currentTimeMillis() < deadline);
        campaignMetrics.then().statusCode(200).body("overall.sent", equalTo(3)).body("overall.read", equalTo(2));

        // one interval per stay: the duplicate "entered" added none, and "left" closed the open one
        assertThat(memberships).containsExactlyInAnyOrder(a + " " + aEntered + " " + aLeft, c + " " + cEntered + " " + cLeft,
                c + " " + cBack + " open");

        // only A was a member at the send: B never was, C had left and came back later
        given().auth().oauth2(analyst()).queryParam("campaignId", campaign).queryParam("segmentId", segment)
                .when().get("/api/metrics/summary").then().statusCode(200)
                .body("groups.size()", equalTo(1)).body("groups[0].sent", equalTo(1)).body("groups[0].delivered", equalTo(1))
                .body("groups[0].read", equalTo(1)).body("groups[0].recipients", equalTo(1)).body("groups[0].readers", equalTo(1))
                .body("groups[0].openRate", equalTo(100.0f));
        given().auth().oauth2(analyst()).queryParam("campaignId", campaign).queryParam("segmentId", segment)
                .when().get("/api/metrics/read-times").then().statusCode(200)
                .body("hourly[20]", equalTo(1)).body("hourly[11]", equalTo(0))
                .body("sendWindows.size()", equalTo(1)).body("sendWindows[0].dimension", equalTo("09-12"))
                .body("sendWindows[0].sent", equalTo(1));
        // a segment nobody is in counts nothing
        given().auth().oauth2(analyst()).queryParam("campaignId", campaign).queryParam("segmentId", segment + "-empty")
                .when().get("/api/metrics/summary").then().statusCode(200).body("groups.size()", equalTo(0));
    }

    static Sent membership(String subject, String segment, String change, Instant at) {
        return event(Topics.SEGMENT_MEMBERSHIP, subject, "membership:" + segment + ":" + subject + ":" + change + ":" + at.toEpochMilli(),
                new SegmentMembership(segment, change, at));
    }

    /** The segment's stored intervals as "subject entered left" ("open" while not left). */
    private List<String> memberships(String segment) throws Throwable {
        List<String> out = new ArrayList<>();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT subject_id, entered_at, left_at FROM segment_membership "
                        + "WHERE segment_id = $1").execute(Tuple.of(segment))
                .invoke(rows -> rows.forEach(r -> out.add(r.getString("subject_id") + " " + r.getOffsetDateTime("entered_at").toInstant()
                        + " " + (r.getValue("left_at") == null ? "open" : r.getOffsetDateTime("left_at").toInstant())))));
        return out;
    }
}
