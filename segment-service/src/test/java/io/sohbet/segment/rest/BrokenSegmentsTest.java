package io.sohbet.segment.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.Topics;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * A marketer cannot stop segment-service with a rule: durations and values are bounded when a rule is written, and a
 * rule stored before the bounds (or failing otherwise) breaks only its own segment, and those referring to it: events
 * and the scheduled run go on, and the segment's view says what is wrong.
 */
@QuarkusTest
class BrokenSegmentsTest {

    static final String FAR = "{\"attr\":\"lastOrderAt\",\"op\":\"within\",\"value\":\"P2000000000Y\"}";

    @Inject
    Pool pool;

    static String marketer() {
        return SegmentResourceTest.marketer();
    }

    @Test
    void anUnboundedDurationIsRefusedWithAPointerToIt() {
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"id\":\"far-" + Long.toHexString(System.nanoTime() % 100000) + "\",\"name\":\"far\",\"rule\":" + FAR + "}")
                .when().post("/api/segments").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/rule/value"));
        given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                .body("{\"rule\":{\"all\":[{\"attr\":\"ordersTotal\",\"op\":\">\",\"value\":1e400},{\"attr\":\"city\",\"op\":\"in\","
                        + "\"value\":[\"izmir\",{}]}]}}")
                .when().post("/api/segments/preview").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/rule/all/0/value")).body("errors.pointer", hasItem("/rule/all/1/value/1"));
    }

    @Test
    void aStoredRuleThatCannotBeEvaluatedBreaksOnlyItsSegmentAndThoseReferringToIt() throws Throwable {
        String suffix = Long.toHexString(System.nanoTime() % 1000000);
        String far = "far-" + suffix;
        String referring = "refers-" + suffix;
        String subject = "brk" + Long.toHexString(System.nanoTime()) + "subject";
        String admin = TestTokens.person("sohbet-segment", "ada", "admin").sign();
        // saved before the bounds: the catalog read them as they are
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO segment (id, name, description, rule, built_in, "
                        + "created_at, updated_at) VALUES ($1, 'far', null, $2, FALSE, now(), now()), ($3, 'refers', null, $4, FALSE, now(), now())")
                .execute(Tuple.of(far, FAR, referring, "{\"inSegment\":\"" + far + "\"}")));
        try {
            // the scheduled run reads them, evaluates everything else and succeeds
            given().auth().oauth2(admin).when().post("/api/segments/evaluations").then().statusCode(200);
            given().auth().oauth2(marketer()).when().get("/api/segments/" + far).then().statusCode(200)
                    .body("broken", equalTo(true)).body("problem", containsString("/value"));
            given().auth().oauth2(marketer()).when().get("/api/segments/" + referring).then().statusCode(200)
                    .body("broken", equalTo(true)).body("problem", containsString(far));
            given().auth().oauth2(marketer()).when().get("/api/segments/vip").then().statusCode(200)
                    .body("broken", equalTo(false)).body("problem", nullValue());
            // events are evaluated against every other segment
            try (KafkaProbe kafka = KafkaProbe.shared()) {
                kafka.send(Topics.COMMERCE_EVENT, subject, SegmentResourceTest.order(subject, "o-" + subject,
                        Instant.now().minusSeconds(60), "100.00"));
            }
            new SegmentResourceTest().awaitProfile(subject, r -> r.<java.util.List<String>>path("segments").contains("new"))
                    .then().statusCode(200).body("attributes.ordersTotal", equalTo(1)).body("segments", hasItem("new"));
            assertThat(VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT 1 FROM segment_member WHERE segment_id = ANY($1)")
                    .execute(Tuple.of((Object) new String[] {far, referring}))).size()).isZero();
            // changing the rule to a valid one mends it
            given().auth().oauth2(marketer()).contentType(ContentType.JSON)
                    .body("{\"id\":\"" + far + "\",\"name\":\"far\",\"rule\":{\"attr\":\"lastOrderAt\",\"op\":\"within\",\"value\":\"P100Y\"}}")
                    .when().put("/api/segments/" + far).then().statusCode(204);
            given().auth().oauth2(marketer()).when().get("/api/segments/" + far).then().statusCode(200)
                    .body("broken", equalTo(false)).body("problem", nullValue());
            given().auth().oauth2(marketer()).when().get("/api/segments/" + referring).then().statusCode(200)
                    .body("broken", equalTo(false));
        } finally {
            given().auth().oauth2(marketer()).when().delete("/api/segments/" + referring).then().statusCode(204);
            given().auth().oauth2(marketer()).when().delete("/api/segments/" + far).then().statusCode(204);
        }
    }
}
