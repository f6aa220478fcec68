package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

/**
 * A realistic campaign pushed over the real broker three times, each time in a different shuffled order with
 * duplicates; the API must report the same exact numbers every time.
 */
@QuarkusTest
class MetricsResourceTest {

    static final Instant T0 = Instant.parse("2026-11-02T07:00:00Z"); // 10:00 in Istanbul

    @Inject
    io.sohbet.metrics.service.CampaignGauges gauges;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    Pool pool;

    record Sent(String topic, String key, CloudEvent event) {
    }

    /** campaign-service's token: read hours, read times and campaign results. */
    static String campaignService() {
        return TestTokens.service("sohbet-campaign", "sohbet-metrics", "read-hours", "read-times", "campaign-results").sign();
    }

    static String analyst() {
        return TestTokens.person("sohbet-metrics", "deniz", "analyst").sign();
    }

    /** Ten recipients, variants A (s0–s4) and B (s5–s9); see the expectations in the test. */
    static List<Sent> campaign(String campaign, String prefix) {
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String s = subject(prefix, i);
            String wamid = "wamid." + prefix + "." + i;
            out.add(event(Topics.CAMPAIGN_MESSAGE, s, "cm:" + wamid, new CampaignMessage(wamid, campaign, i < 5 ? "A" : "B", "template", T0)));
            out.add(status(s, wamid, "sent", T0.plusSeconds(1), null));
            if (i <= 8 && i != 7) {
                out.add(status(s, wamid, "delivered", T0.plusSeconds(5), null));
            }
        }
        out.add(status(subject(prefix, 9), "wamid." + prefix + ".9", "failed", T0.plusSeconds(3), 131049));
        for (int i : new int[] {0, 1, 2}) {
            out.add(status(subject(prefix, i), "wamid." + prefix + "." + i, "read", T0.plus(Duration.ofHours(10)), null));
        }
        for (int i : new int[] {5, 6, 7}) { // s7: read without a delivered status (read implies delivered)
            out.add(status(subject(prefix, i), "wamid." + prefix + "." + i, "read", T0.plus(Duration.ofHours(1)), null));
        }
        out.add(event(Topics.LINK_CLICK, subject(prefix, 0), "link.click:" + UUID.randomUUID(),
                new LinkClick(campaign, "A", "L1", "https://shop.example/a", T0.plus(Duration.ofHours(11)))));
        out.add(event(Topics.LINK_CLICK, subject(prefix, 0), "link.click:" + UUID.randomUUID(),
                new LinkClick(campaign, "A", "L1", "https://shop.example/a", T0.plus(Duration.ofHours(12)))));
        out.add(event(Topics.LINK_CLICK, subject(prefix, 5), "link.click:" + UUID.randomUUID(),
                new LinkClick(campaign, "B", "L2", "https://shop.example/b", T0.plus(Duration.ofHours(2)))));
        out.add(inbound(subject(prefix, 1), "in." + prefix + ".1", T0.plus(Duration.ofHours(10)), "interactive", "csat_5", null,
                "wamid." + prefix + ".1", null));
        out.add(inbound(subject(prefix, 2), "in." + prefix + ".2", T0.plus(Duration.ofHours(11)), "reaction", null, "👎", null,
                "wamid." + prefix + ".2"));
        out.add(inbound(subject(prefix, 6), "in." + prefix + ".6", T0.plus(Duration.ofHours(2)), "text", null, null, null, null));
        out.add(order(subject(prefix, 0), "o." + prefix + ".0", T0.plus(Duration.ofDays(2))));
        out.add(order(subject(prefix, 5), "o." + prefix + ".5", T0.plus(Duration.ofDays(10))));
        out.add(order(subject(prefix, 3), "o." + prefix + ".3", T0.plus(Duration.ofDays(1))));
        out.add(event(Topics.CONSENT_CHANGE, subject(prefix, 8), "consent:" + prefix + ".8",
                new ConsentChange("marketing", "whatsapp", "revoked", "whatsapp-stop-reply", T0.plus(Duration.ofHours(1)))));
        return out;
    }

    static String subject(String prefix, int i) {
        return prefix + "subject" + i + "padding";
    }

    static Sent event(String topic, String subject, String id, Object payload) {
        return new Sent(topic, subject, CloudEvent.of(topic, id, "/sohbet/test", T0, subject, payload));
    }

    static Sent status(String subject, String wamid, String status, Instant at, Integer error) {
        return event(Topics.WA_STATUS, subject, "wa.status:" + wamid + ":" + status, new WaStatus(wamid, status, at, "pn", "individual",
                null, null, null, null, null, null, null, error == null ? List.of() : List.of(new WaError(error, "limit", null, null))));
    }

    static Sent inbound(String subject, String wamid, Instant at, String type, String replyId, String emoji, String context,
            String reactionTo) {
        return event(Topics.WA_INBOUND, subject, "wa.inbound:" + wamid, new WaInbound(wamid, "pn", at, type, type, null, null, null,
                null, null, replyId, null, emoji, reactionTo, context, false, null, null, null, null, List.of()));
    }

    static Sent order(String subject, String orderId, Instant at) {
        return event(Topics.COMMERCE_EVENT, subject, "commerce:" + orderId, new CommerceEvent(orderId, "order.created", at, orderId,
                null, new BigDecimal("420.00"), "TRY", List.of(), null));
    }

    @Test
    void theSameEventsInAnyOrderWithDuplicatesGiveTheSameExactNumbers() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        List<Map<String, Object>> results = new ArrayList<>();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (int order = 0; order < 3; order++) {
                String campaign = "c-" + run + "-" + order;
                List<Sent> events = new ArrayList<>(campaign(campaign, "r" + run + "o" + order));
                Random random = new Random(order);
                List<Sent> duplicates = events.stream().filter(e -> random.nextInt(3) == 0).toList();
                events.addAll(duplicates);
                Collections.shuffle(events, random);
                for (Sent e : events) {
                    kafka.send(e.topic(), e.key(), e.event());
                }
            }
        }
        for (int order = 0; order < 3; order++) {
            String campaign = "c-" + run + "-" + order;
            Response response = awaitCampaign(campaign);
            response.then().statusCode(200)
                    .body("overall.sent", equalTo(10)).body("overall.delivered", equalTo(9)).body("overall.read", equalTo(6))
                    .body("overall.failed", equalTo(1)).body("overall.recipients", equalTo(10)).body("overall.readers", equalTo(6))
                    .body("overall.clicked", equalTo(2)).body("overall.converted", equalTo(1)).body("overall.optedOut", equalTo(1))
                    .body("overall.replied", equalTo(3)).body("overall.engaged", equalTo(5))
                    .body("overall.deliveryRate", equalTo(90.0f)).body("overall.openRate", equalTo(66.67f))
                    .body("overall.clickThroughRate", equalTo(33.33f)).body("overall.conversionRate", equalTo(16.67f))
                    .body("overall.optOutRate", equalTo(10.0f)).body("overall.engagementRate", equalTo(83.33f))
                    .body("variants.find { it.dimension == 'A' }.read", equalTo(3))
                    .body("variants.find { it.dimension == 'A' }.converted", equalTo(1))
                    .body("variants.find { it.dimension == 'A' }.engaged", equalTo(3))
                    .body("variants.find { it.dimension == 'B' }.delivered", equalTo(4))
                    .body("variants.find { it.dimension == 'B' }.optedOut", equalTo(1))
                    .body("variants.find { it.dimension == 'B' }.failed", equalTo(1))
                    .body("abTest.enoughSample", equalTo(false)).body("abTest.winner", equalTo(null))
                    .body("failures.ecosystemLimited", equalTo(1)).body("failures.byCode[0].code", equalTo(131049))
                    .body("sendWindows[0].dimension", equalTo("09-12"));
            Map<String, Object> body = response.jsonPath().getMap("$");
            body.remove("campaignId");
            results.add(body);

            given().auth().oauth2(analyst()).queryParam("campaignId", campaign).when().get("/api/metrics/csat").then()
                    // s1's tap on the survey's button csat_5 counts; s2's 👎 on a promotion answers no CSAT question
                    .statusCode(200).body("responses", equalTo(1)).body("positive", equalTo(1)).body("score", equalTo(100.0f));
            given().auth().oauth2(analyst()).queryParam("campaignId", campaign).when().get("/api/metrics/links").then()
                    .statusCode(200).body("[0].linkId", equalTo("L1")).body("[0].clicks", equalTo(2))
                    .body("[0].repeatClicks", equalTo(1)).body("[1].uniqueClickers", equalTo(1));
            given().auth().oauth2(analyst()).queryParam("campaignId", campaign).when().get("/api/metrics/read-times").then()
                    .statusCode(200).body("hourly[20]", equalTo(3)).body("hourly[11]", equalTo(3))
                    .body("threeHourWindows.find { it.window == '18-21' }.reads", equalTo(3));
        }
        assertThat(results.get(1)).isEqualTo(results.get(0));
        assertThat(results.get(2)).isEqualTo(results.get(0));

        // the Prometheus gauges of recent campaigns (these campaigns are older than 7 days: a fresh one is added)
        String fresh = "c-" + run + "-fresh";
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            String s = "fresh" + run + "subjectpad";
            kafka.send(Topics.CAMPAIGN_MESSAGE, s, CloudEvent.of(Topics.CAMPAIGN_MESSAGE, "cm:f" + run, "/test", Instant.now(), s,
                    new CampaignMessage("wamid.fresh." + run, fresh, "A", "template", Instant.now())));
            kafka.send(Topics.WA_STATUS, s, status(s, "wamid.fresh." + run, "delivered", Instant.now(), null).event());
        }
        long until = System.currentTimeMillis() + 20_000;
        Double delivery = null;
        while (delivery == null && System.currentTimeMillis() < until) {
            Thread.sleep(300);
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> gauges.refresh());
            var gauge = registry.find("sohbet.campaign.rate.percent").tag("campaign", fresh).tag("rate", "delivery").gauge();
            delivery = gauge == null ? null : gauge.value();
        }
        assertThat(delivery).isEqualTo(100.0);

        String s0 = subject("r" + run + "o0", 0);
        // one person's read hours are not an analyst's to read (least data for analysts)
        given().auth().oauth2(analyst()).when().get("/api/metrics/subjects/" + s0 + "/read-hours").then().statusCode(403);
        given().auth().oauth2(TestTokens.person("sohbet-metrics", "mert", "marketer").sign())
                .when().get("/api/metrics/subjects/" + s0 + "/read-hours").then().statusCode(200)
                .body("bestHours", equalTo(List.of(20))).body("totalReads", equalTo(1)).body("timeZone", equalTo("Europe/Istanbul"));
        given().auth().oauth2(campaignService())
                .contentType("application/json").body(Map.of("subjectIds", List.of(s0, "noreadsnoreadsnoreads")))
                .when().post("/internal/read-hours").then().statusCode(200).body("timeZone", equalTo("Europe/Istanbul"))
                .body("bestHours." + s0, equalTo(List.of(20))).body("bestHours.noreadsnoreadsnoreads", nullValue());
        given().auth().oauth2(analyst()).queryParam("by", "variant").queryParam("campaignId", "c-" + run + "-0")
                .when().get("/api/metrics/summary").then().statusCode(200).body("groups.dimension", hasItems("A", "B"));
    }

    static Response awaitCampaign(String campaign) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        Response response;
        do {
            Thread.sleep(300);
            response = given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/" + campaign);
        } while (!complete(response) && System.currentTimeMillis() < deadline);
        return response;
    }

    static boolean complete(Response r) {
        return r.statusCode() == 200 && Integer.valueOf(10).equals(r.path("overall.sent")) && Integer.valueOf(6).equals(r.path("overall.read"))
                && Integer.valueOf(9).equals(r.path("overall.delivered")) && Integer.valueOf(2).equals(r.path("overall.clicked"))
                && Integer.valueOf(1).equals(r.path("overall.converted")) && Integer.valueOf(1).equals(r.path("overall.optedOut"))
                && Integer.valueOf(3).equals(r.path("overall.replied"));
    }

    @Test
    void badQueriesAre400AndRolesAreEnforced() {
        given().auth().oauth2(analyst()).queryParam("from", "yesterday").when().get("/api/metrics/summary").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/from"));
        given().auth().oauth2(analyst()).queryParam("from", "2026-11-02T00:00:00Z").queryParam("to", "2026-11-01T00:00:00Z")
                .when().get("/api/metrics/summary").then().statusCode(400).body("errors[0].pointer", equalTo("/to"));
        // parseable instants beyond PostgreSQL's timestamps (and Java's offsets) are the client's mistake, not a 500
        for (String[] far : new String[][] {{"from", "-1000000000-01-01T00:00:00Z"}, {"to", "+300000-01-01T00:00:00Z"},
                {"from", "-5000-01-01T00:00:00Z"}}) {
            given().auth().oauth2(analyst()).queryParam(far[0], far[1]).when().get("/api/metrics/summary").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/" + far[0]));
        }
        given().auth().oauth2(analyst()).queryParam("by", "planet").when().get("/api/metrics/summary").then().statusCode(400);
        given().auth().oauth2(analyst()).when().get("/api/metrics/campaigns/bad campaign!").then().statusCode(400);
        given().auth().oauth2(TestTokens.person("sohbet-metrics", "mert", "marketer").sign()).when().get("/api/metrics/subjects/short/read-hours").then().statusCode(400);
        String service = campaignService();
        given().auth().oauth2(service).contentType("application/json").body(Map.of("subjectIds", List.of()))
                .when().post("/internal/read-hours").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(service).contentType("application/json").body("{\"subjectIds\": [\"short\"]}")
                .when().post("/internal/read-hours").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(service).contentType("application/json").body("not json")
                .when().post("/internal/read-hours").then().statusCode(400);
        given().auth().oauth2(analyst()).contentType("application/json").body(Map.of("subjectIds", List.of("abcdefghijklmnopqrs")))
                .when().post("/internal/read-hours").then().statusCode(403);
        given().when().get("/api/metrics/summary").then().statusCode(401);
        given().auth().oauth2(campaignService()).when().get("/api/metrics/summary")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.person("sohbet-metrics", "p", "privacy-officer").sign())
                .when().get("/api/metrics/subjects/abcdefghijklmnopqrs/read-hours").then().statusCode(403);
    }

    @Test
    void conversationTimesComeFromCustomerMessagesBusinessRepliesAndResolutions() throws InterruptedException {
        String subject = "conv" + Long.toHexString(System.nanoTime()) + "subject";
        Instant start = Instant.parse("2026-10-05T07:00:00Z"); // a Monday, 10:00 in Istanbul
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            Sent question = inbound(subject, "in." + subject, start, "text", null, null, null, null);
            kafka.send(question.topic(), question.key(), question.event());
            Sent reply = status(subject, "wamid.agent." + subject, "sent", start.plus(Duration.ofMinutes(12)), null);
            kafka.send(reply.topic(), reply.key(), reply.event());
        }
        String token = TestTokens.person("sohbet-metrics", "ayse", "marketer").sign();
        long deadline = System.currentTimeMillis() + 30_000;
        Response response;
        do {
            Thread.sleep(300);
            response = given().auth().oauth2(token).queryParam("from", "2026-10-05T00:00:00Z").queryParam("to", "2026-10-06T00:00:00Z")
                    .when().get("/api/metrics/conversations");
        } while (!"PT12M".equals(response.path("responseTime.mean")) && System.currentTimeMillis() < deadline);
        response.then().statusCode(200).body("conversations", equalTo(1)).body("responseTime.mean", equalTo("PT12M"))
                .body("firstResponseTime.meanInBusinessHours", equalTo("PT12M")).body("resolutionTime.mean", equalTo("PT12M"));
        given().auth().oauth2(token).when().post("/api/metrics/conversations/" + subject + "/resolve").then().statusCode(204);
        given().auth().oauth2(analyst()).when().post("/api/metrics/conversations/" + subject + "/resolve").then().statusCode(403);
    }

    @Test
    void textRepliesBecomeInsightsAndSurveyDigitsWithoutKeepingTheText() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        Instant at = Instant.parse("2026-09-10T09:00:00Z");
        String[] texts = {"Kargo çok geç geldi, rezalet! Acil iade istiyorum", "Kargo gecikti ama ürün güzel", "Harika ürün, teşekkürler", "4"};
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // the digit answers a CSAT survey, which it quotes
            String surveyed = "fb" + run + "s3padding";
            String question = "wamid.fb.survey." + run;
            kafka.send(Topics.CAMPAIGN_MESSAGE, surveyed, CloudEvent.of(Topics.CAMPAIGN_MESSAGE, "cm:" + question, "/test", at, surveyed,
                    new CampaignMessage(question, "c-fb-" + run, "A", "interactive", at.minusSeconds(600), true)));
            for (int i = 0; i < texts.length; i++) {
                String subject = "fb" + run + "s" + i + "padding";
                String sealed = io.sohbet.events.FieldCipher.encrypt(io.sohbet.devstack.KeyVaultStandIn.keyOf(subject), subject, texts[i]);
                String wamid = "wamid.fb." + run + "." + i;
                kafka.send(Topics.WA_INBOUND, subject, CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/test", at, subject,
                        new WaInbound(wamid, "pn", at.plusSeconds(i), "text", "text", null, sealed, texts[i].length(), null, null, null, null,
                                null, null, i == 3 ? question : null, false, null, null, null, null, List.of())));
            }
        }
        long deadline = System.currentTimeMillis() + 30_000;
        Response r;
        do {
            Thread.sleep(300);
            r = given().auth().oauth2(analyst()).queryParam("from", "2026-09-10T00:00:00Z").queryParam("to", "2026-09-11T00:00:00Z")
                    .when().get("/api/metrics/feedback");
            // a reply's common stems are shown right after the reply is stored, by a second statement
        } while (!(Integer.valueOf(3).equals(r.path("replies")) && Integer.valueOf(2).equals(r.path("topKeywords.size()")))
                && System.currentTimeMillis() < deadline);
        r.then().statusCode(200).body("replies", equalTo(3)).body("negative", equalTo(1)).body("neutral", equalTo(1)).body("positive", equalTo(1))
                .body("topKeywords[0].keyword", equalTo("kargo")).body("topKeywords[0].replies", equalTo(2))
                .body("themes.keyword", hasItems("delivery")).body("urgent.size()", equalTo(1))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("rezalet!")));
        // only stems that two different customers used (the test profile's keyword-min-subjects) are ever shown:
        // "kargo" (replies 0 and 1) and "ürün" (1 and 2), not "acil", "iade" or "harik", which one customer wrote
        assertThat(r.<List<String>>path("topKeywords.keyword")).containsExactly("kargo", "ürün");
        assertThat(r.<List<String>>path("urgent[0].keywords")).containsExactly("kargo");
        assertThat(r.<List<String>>path("urgent[0].themes")).contains("delivery", "returns");
        // and no reply keeps its stems in clear, only their keyed hashes
        List<String> stored = new ArrayList<>();
        // replies are kept by their messages' keyed hashes
        io.sohbet.events.MessageIds ids = io.sohbet.events.MessageIds.withKey("dev-message-id-key-not-for-production");
        String[] replies = java.util.stream.IntStream.range(0, texts.length).mapToObj(i -> ids.of("wamid.fb." + run + "." + i))
                .toArray(String[]::new);
        assertThat(r.<String>path("urgent[0].messageId")).isEqualTo(replies[0]);
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT k FROM feedback, unnest(keywords) AS k WHERE wamid = ANY($1)")
                .execute(Tuple.of(replies)).invoke(rows -> rows.forEach(row -> stored.add(row.getString("k")))));
        assertThat(stored).hasSizeGreaterThan(5).doesNotContain("kargo", "ürün", "acil", "iade", "rezalet", "gecik", "harik")
                .allSatisfy(hash -> assertThat(hash).matches("[A-Za-z0-9_-]{22}"));
        // the digit reply is another message: it may be stored a little later than the three texts
        Response csat;
        long until = System.currentTimeMillis() + 30_000;
        do {
            Thread.sleep(200);
            csat = given().auth().oauth2(analyst()).queryParam("from", "2026-09-10T00:00:00Z").queryParam("to", "2026-09-11T00:00:00Z")
                    .when().get("/api/metrics/csat");
        } while (!Integer.valueOf(1).equals(csat.path("responses")) && System.currentTimeMillis() < until);
        csat.then().statusCode(200).body("responses", equalTo(1)).body("positive", equalTo(1));
    }

    @Test
    void lateEventsOfAnErasedPersonLeaveNoRowAndBringNoKeyBack() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        Instant at = Instant.parse("2026-09-12T09:00:00Z");
        String erased = "er" + run + "erasedpadding";
        String alive = "er" + run + "alivepadding";
        io.sohbet.devstack.KeyVaultStandIn.ERASED.put(erased, at.plusSeconds(3600)); // erased an hour after it wrote
        int creatingCalls = io.sohbet.devstack.KeyVaultStandIn.CREATING_CALLS.get();
        double dropped = registry.counter("sohbet.erasure.checks", "outcome", "dropped").count();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (String subject : List.of(erased, alive)) {
                String sealed = io.sohbet.events.FieldCipher.encrypt(io.sohbet.devstack.KeyVaultStandIn.keyOf(subject), subject,
                        "Kargo nerede kaldı?");
                String wamid = "wamid.er." + run + "." + subject;
                kafka.send(Topics.WA_INBOUND, subject, CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/test", Instant.now(),
                        subject, new WaInbound(wamid, "pn", at, "text", "text", null, sealed, 19, null, null, null, null,
                                null, null, null, false, null, null, null, null, List.of())));
                kafka.send(Topics.LINK_CLICK, subject, CloudEvent.of(Topics.LINK_CLICK, "link.click:" + run + subject, "/test",
                        Instant.now(), subject, new io.sohbet.events.payload.LinkClick("c-" + run, "A", "cta", "https://shop.example/",
                                at.plusSeconds(60))));
            }
        }
        long deadline = System.currentTimeMillis() + 30_000;
        List<String> subjects = new ArrayList<>();
        while ((!subjects.contains(alive) || registry.counter("sohbet.erasure.checks", "outcome", "dropped").count() < dropped + 2)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            subjects.clear();
            // message ids are stored as their keyed hashes: look the replies up by subject
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT subject_id FROM feedback WHERE subject_id = ANY($1)")
                    .execute(Tuple.of((Object) new String[] {erased, alive}))
                    .invoke(rows -> rows.forEach(row -> subjects.add(row.getString(0)))));
        }
        assertThat(subjects).containsExactly(alive);
        assertThat(registry.counter("sohbet.erasure.checks", "outcome", "dropped").count()).isEqualTo(dropped + 2);
        // the reply and the click, which happened before the erasure, left nothing: no table names the person
        for (String table : List.of("inbound_message", "feedback", "link_click")) {
            long rows = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM " + table
                    + " WHERE subject_id = $1").execute(Tuple.of(erased))).iterator().next().getLong(0);
            assertThat(rows).as("rows of the erased person in %s", table).isZero();
        }
        assertThat(io.sohbet.devstack.KeyVaultStandIn.CREATING_CALLS.get()).as("keys created by metrics-service")
                .isEqualTo(creatingCalls);
    }
}
