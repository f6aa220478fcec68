package io.sohbet.segment.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.SegmentMembership;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.Problem;
import io.sohbet.segment.service.SegmentEvaluation;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class SegmentResourceTest {

    @Inject
    SegmentEvaluation evaluation;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    static String marketer() {
        return TestTokens.person("sohbet-segment", "mert", "marketer").sign();
    }

    static CloudEvent reply(String subject, int n, Instant at, String type, int length) {
        String wamid = "wamid.in." + subject + "." + n;
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/test", at, subject, new WaInbound(wamid, "pn", at, type, type,
                null, "v1.sealed", length, null, null, null, null, null, null, null, false, null, null, null, null, List.of()));
    }

    static CloudEvent order(String subject, String id, Instant at, String total) {
        return CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + id, "/test", at, subject, new CommerceEvent(id, "order.created", at, id,
                null, new BigDecimal(total), "TRY", List.of(new CommerceEvent.Item("sku1", "ayakkabı", 1, new BigDecimal(total))), null));
    }

    Response awaitProfile(String subject, java.util.function.Predicate<Response> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Response r;
        do {
            Thread.sleep(200);
            r = given().auth().oauth2(marketer()).when().get("/api/profiles/" + subject);
        } while ((r.statusCode() != 200 || !done.test(r)) && System.currentTimeMillis() < deadline);
        return r;
    }

    @Test
    void eventsBuildTheProfileSegmentsFollowLiveAndTimeMovesPeopleOut() throws Throwable {
        String subject = "seg" + Long.toHexString(System.nanoTime()) + "subject";
        Instant now = Instant.now();
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            for (int i = 0; i < 3; i++) {
                CloudEvent e = reply(subject, i, now.minus(Duration.ofDays(6)).plusSeconds(i), "image", 0);
                kafka.send(Topics.WA_INBOUND, subject, e);
                kafka.send(Topics.WA_INBOUND, subject, e); // redelivered: counted once
            }
            for (int i = 0; i < 3; i++) {
                kafka.send(Topics.COMMERCE_EVENT, subject, order(subject, "o-" + subject + "-" + i, now.minus(Duration.ofDays(i + 1)), "600.00"));
            }
            awaitProfile(subject, r -> Integer.valueOf(3).equals(r.path("attributes.orders30d"))
                    && Integer.valueOf(3).equals(r.path("attributes.interactions7d"))
                    && r.<List<String>>path("segments").containsAll(List.of("active", "visual", "vip", "new"))).then().statusCode(200)
                    .body("attributes.interactions7d", equalTo(3)).body("attributes.visual90d", equalTo(3))
                    .body("contentPreference", equalTo("visual")).body("attributes.topCategory", equalTo("ayakkabı"))
                    .body("averageBasket30d", equalTo(600.0f)).body("segments", hasItems("active", "visual", "vip", "new"));
            // new, passive, active, visual, vip and loyal are entered (in an order that depends on arrival)
            List<String> entered = kafka.await(6, r -> subject.equals(r.key()), Duration.ofSeconds(20)).stream()
                    .map(r -> r.value().dataAs(SegmentMembership.class))
                    .filter(m -> m.change().equals(SegmentMembership.ENTERED)).map(SegmentMembership::segmentId).toList();
            assertThat(entered).contains("active", "visual", "vip", "new");

            given().auth().oauth2(TestTokens.service("sohbet-campaign", "sohbet-segment", "segment-members").sign())
                    .queryParam("limit", 10000).when().get("/api/segments/vip/members").then().statusCode(200)
                    .body("subjectIds", hasItem(subject));

            // two days later, with no new event, the replies of six days ago have left the 7-day window
            SegmentEvaluation.Run run = VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(now.plus(Duration.ofDays(2))));
            assertThat(run.profiles()).isPositive();
            given().auth().oauth2(marketer()).when().get("/api/profiles/" + subject).then().statusCode(200)
                    .body("attributes.interactions7d", equalTo(0)).body("segments", not(hasItem("active")));
            assertThat(kafka.await(1, r -> subject.equals(r.key()) && r.value().dataAs(SegmentMembership.class).change().equals("left")
                    && r.value().dataAs(SegmentMembership.class).segmentId().equals("active"), Duration.ofSeconds(20))).hasSize(1);
        }
    }

    @Test
    void customSegmentsArePreviewedValidatedSavedAndFlaggedWhenSmall() {
        String rule = "{\"all\":[{\"inSegment\":\"vip\"},{\"attr\":\"topCategory\",\"op\":\"=\",\"value\":\"AYAKKABI\"}]}";
        given().auth().oauth2(marketer()).contentType(ContentType.JSON).body("{\"rule\":" + rule + "}")
                .when().post("/api/segments/preview").then().statusCode(200)
                .body("belowMinimumSize", equalTo(true)).body("minimumSize", equalTo(50));
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"rule\":{\"all\":[{\"attr\":\"ordersTotal\",\"op\":\">=\",\"value\":\"x\"},{\"inSegment\":\"ghost\"}]}}")
                .when().post("/api/segments/preview").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItems("/rule/all/0/value", "/rule/all/1/inSegment"));
        String id = "shoe-vip-" + Long.toHexString(System.nanoTime() % 100000);
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"Shoe VIPs\",\"rule\":" + rule + "}")
                .when().post("/api/segments").then().statusCode(201).body("builtIn", equalTo(false));
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"again\",\"rule\":" + rule + "}")
                .when().post("/api/segments").then().statusCode(409);
        given().auth().oauth2(marketer()).when().delete("/api/segments/vip").then().statusCode(409);
        given().auth().oauth2(marketer()).when().get("/api/segments").then().statusCode(200)
                .body("id", hasItems("active", "regular", "passive", "visual", "text", "quick-info", "vip", "new", "loyal", "at-risk", id));
        given().auth().oauth2(marketer()).when().delete("/api/segments/" + id).then().statusCode(204);
        given().auth().oauth2(marketer()).when().get("/api/segments/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.person("sohbet-segment", "a", "analyst").sign()).contentType(ContentType.JSON)
                .body("{\"id\":\"x\",\"name\":\"x\",\"rule\":" + rule + "}").when().post("/api/segments").then().statusCode(403);
        given().when().get("/api/segments").then().statusCode(401);
    }

    @Test
    void analystsReadNoPeopleAndNoSmallCountsAndAgeSinglesOutNobody() {
        String analyst = TestTokens.person("sohbet-segment", "ayla", "analyst").sign();
        String narrow = "{\"rule\":{\"all\":[{\"inSegment\":\"vip\"},{\"attr\":\"topCategory\",\"op\":\"=\",\"value\":\"AYAKKABI\"}]}}";
        given().auth().oauth2(marketer()).contentType(ContentType.JSON).body(narrow).when().post("/api/segments/preview")
                .then().statusCode(200).body("count", notNullValue()).body("belowMinimumSize", equalTo(true));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body(narrow).when().post("/api/segments/preview")
                .then().statusCode(200).body("count", nullValue()).body("sample", empty()).body("belowMinimumSize", equalTo(true));
        given().auth().oauth2(analyst).when().get("/api/segments/vip").then().statusCode(200)
                .body("members", nullValue()).body("belowMinimumSize", equalTo(true));
        given().auth().oauth2(marketer()).when().get("/api/segments/vip").then().statusCode(200).body("members", notNullValue());
        given().auth().oauth2(analyst).when().get("/api/profiles/someone-0123456789abcdef").then().statusCode(403);

        // age: the seed's 25-35 works; one year, a narrow range, two conditions or one inherited from a segment do not
        String age2535 = "{\"attr\":\"age\",\"op\":\"between\",\"value\":[25,35]}";
        given().auth().oauth2(marketer()).contentType(ContentType.JSON).body("{\"rule\":" + age2535 + "}")
                .when().post("/api/segments/preview").then().statusCode(200);
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"rule\":{\"attr\":\"age\",\"op\":\"=\",\"value\":31}}")
                .when().post("/api/segments/preview").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/rule/op"));
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"rule\":{\"all\":[" + age2535 + ",{\"not\":{\"attr\":\"age\",\"op\":\"between\",\"value\":[26,36]}}]}}")
                .when().post("/api/segments/preview").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/rule/all/1/not"));
        String id = "ages-" + Long.toHexString(System.nanoTime() % 100000);
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"25-35\",\"rule\":" + age2535 + "}")
                .when().post("/api/segments").then().statusCode(201);
        try {
            given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                    .body("{\"rule\":{\"all\":[{\"inSegment\":\"" + id + "\"},{\"attr\":\"ageBand\",\"op\":\"=\",\"value\":\"35-44\"}]}}")
                    .when().post("/api/segments/preview").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors.pointer", hasItem("/rule/all/1"));
            given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                    .body("{\"rule\":{\"all\":[{\"inSegment\":\"" + id + "\"},{\"attr\":\"city\",\"op\":\"=\",\"value\":\"izmir\"}]}}")
                    .when().post("/api/segments/preview").then().statusCode(200);
        } finally {
            given().auth().oauth2(marketer()).when().delete("/api/segments/" + id).then().statusCode(204);
        }
    }

    @Test
    void shopDemographicsAreOpenedInMemoryAndKeptMinimal() throws Throwable {
        String subject = "demo" + Long.toHexString(System.nanoTime()) + "subject";
        byte[] key = io.sohbet.devstack.KeyVaultStandIn.keyOf(subject);
        java.util.function.Function<String, String> seal = v -> io.sohbet.events.FieldCipher.encrypt(key, subject, v);
        Instant at = Instant.now();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.COMMERCE_EVENT, subject, CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:cust-" + subject, "/test", at, subject,
                    new CommerceEvent("cust-" + subject, "customer.upserted", at, null, null, null, null, List.of(),
                            new CommerceEvent.Customer(seal.apply("+905321112233"), seal.apply("a@example.com"), seal.apply("Ayşe"),
                                    seal.apply("Kadın"), seal.apply(String.valueOf(java.time.Year.now().getValue() - 30)),
                                    seal.apply("İstanbul"), java.util.Map.of()))));
        }
        // demographics are opened in memory and evaluated by rules ...
        String rule = "{\"rule\":{\"all\":[{\"attr\":\"gender\",\"op\":\"=\",\"value\":\"female\"},"
                + "{\"attr\":\"age\",\"op\":\"between\",\"value\":[25,35]},{\"attr\":\"city\",\"op\":\"=\",\"value\":\"istanbul\"}]}}";
        long deadline = System.currentTimeMillis() + 30_000;
        Response preview;
        do {
            Thread.sleep(200);
            preview = given().auth().oauth2(marketer()).contentType(ContentType.JSON).body(rule).when().post("/api/segments/preview");
        } while (!preview.jsonPath().getList("sample").contains(subject) && System.currentTimeMillis() < deadline);
        preview.then().statusCode(200).body("sample", hasItem(subject));
        // ... but no API shows them (the person's own access export does)
        awaitProfile(subject, r -> true).then().statusCode(200)
                .body("attributes.gender", equalTo(null)).body("attributes.city", equalTo(null))
                .body("ageBand", equalTo(null)).body("attributes.birthYear", equalTo(null))
                .body(not(org.hamcrest.Matchers.containsString("Ayşe"))).body(not(org.hamcrest.Matchers.containsString("İstanbul")))
                .body(not(org.hamcrest.Matchers.containsString("female"))).body(not(org.hamcrest.Matchers.containsString("5321112233")));
    }

    @Test
    void lateEventsOfAnErasedPersonBuildNoProfile() throws Throwable {
        String erased = "seg" + Long.toHexString(System.nanoTime()) + "erased";
        String alive = "seg" + Long.toHexString(System.nanoTime()) + "alive";
        Instant before = Instant.now().minus(Duration.ofDays(2));
        io.sohbet.devstack.KeyVaultStandIn.ERASED.put(erased, Instant.now().minus(Duration.ofDays(1)));
        double dropped = registry.counter("sohbet.erasure.checks", "outcome", "dropped").count();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (String subject : List.of(erased, alive)) { // an order and a reply that happened before the erasure
                kafka.send(Topics.COMMERCE_EVENT, subject, order(subject, "o-" + subject, before, "250.00"));
                kafka.send(Topics.WA_INBOUND, subject, reply(subject, 0, before, "text", 0));
            }
        }
        awaitProfile(alive, r -> Integer.valueOf(1).equals(r.path("attributes.ordersTotal"))).then().statusCode(200);
        long deadline = System.currentTimeMillis() + 30_000;
        while (registry.counter("sohbet.erasure.checks", "outcome", "dropped").count() < dropped + 2
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(registry.counter("sohbet.erasure.checks", "outcome", "dropped").count()).isEqualTo(dropped + 2);
        given().auth().oauth2(marketer()).when().get("/api/profiles/" + erased).then().statusCode(404);
    }
}
