package io.sohbet.campaign.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** A campaign's recipients by the hour they are due in: counted per hour of the asked zone, hold-outs left out. */
@QuarkusTest
class SendTimesResourceTest {

    @Inject
    Pool pool;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    static String token(String... roles) {
        return TestTokens.person("sohbet-campaign", "mert", roles).sign();
    }

    /** A planned campaign with recipients due at {@code dues} (UTC), in {@code phases} and {@code statuses}. */
    String planned(List<String> dues, List<String> phases, List<String> statuses) throws Throwable {
        String id = UUID.randomUUID().toString();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO campaign (id, name, status, definition, "
                        + "created_at, updated_at, planned_at) VALUES ($1, 'send times', 'running', '{}'::jsonb, now(), now(), now())")
                .execute(Tuple.of(id))
                .chain(() -> pool.preparedQuery("INSERT INTO send_queue (campaign_id, subject_id, variant, phase, status, due_at) "
                                + "SELECT $1, 'subject-' || n, 'a', p, s, d FROM unnest($2::timestamptz[], $3::text[], $4::text[]) "
                                + "WITH ORDINALITY AS t(d, p, s, n)")
                        .execute(Tuple.of(id, dues.stream().map(OffsetDateTime::parse).toArray(OffsetDateTime[]::new),
                                phases.toArray(String[]::new), statuses.toArray(String[]::new)))));
        return id;
    }

    @Test
    void recipientsAreCountedByTheHourTheyAreDueInTheAskedZone() throws Throwable {
        // Istanbul is UTC+3: 09:30, 19:10, 19:50 (sent), 20:05, and a hold-out at 20:00 that is never sent
        String id = planned(List.of("2026-11-30T06:30:00Z", "2026-11-30T16:10:00Z", "2026-11-30T16:50:00Z", "2026-11-30T17:05:00Z",
                        "2026-11-30T17:00:00Z"), List.of("all", "all", "all", "all", "holdout"),
                List.of("queued", "queued", "sent", "queued", "held-out"));
        given().auth().oauth2(token("marketer")).when().get("/api/campaigns/" + id + "/send-times").then().statusCode(200)
                .body("campaignId", equalTo(id)).body("timeZone", equalTo("Europe/Istanbul"))
                .body("planned", equalTo(4)).body("messaged", equalTo(1)).body("hours", hasSize(3))
                .body("hours[0].start", equalTo("2026-11-30T09:00:00+03:00")).body("hours[0].recipients", equalTo(1))
                .body("hours[1].start", equalTo("2026-11-30T19:00:00+03:00")).body("hours[1].recipients", equalTo(2))
                .body("hours[1].messaged", equalTo(1))
                .body("hours[2].start", equalTo("2026-11-30T20:00:00+03:00")).body("hours[2].recipients", equalTo(1));
        given().auth().oauth2(token("admin")).queryParam("timeZone", "UTC").when().get("/api/campaigns/" + id + "/send-times").then()
                .statusCode(200).body("timeZone", equalTo("UTC")).body("hours.start", equalTo(List.of("2026-11-30T06:00:00Z",
                        "2026-11-30T16:00:00Z", "2026-11-30T17:00:00Z")));
    }

    @Test
    void aCampaignNotPlannedYetHasNoHours() throws Throwable {
        String id = UUID.randomUUID().toString();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO campaign (id, name, status, definition, created_at, "
                + "updated_at) VALUES ($1, 'draft', 'draft', '{}'::jsonb, now(), now())").execute(Tuple.of(id)));
        given().auth().oauth2(token("marketer")).when().get("/api/campaigns/" + id + "/send-times").then().statusCode(200)
                .body("plannedAt", nullValue()).body("planned", equalTo(0)).body("hours", hasSize(0));
    }

    @Test
    void badRequestsUnknownCampaignsAndWrongRolesAreRefused() {
        String unknown = UUID.randomUUID().toString();
        given().auth().oauth2(token("marketer")).when().get("/api/campaigns/" + unknown + "/send-times").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(token("marketer")).when().get("/api/campaigns/not-an-id/send-times").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        for (String zone : List.of("Mars/Olympus", "Europe/Istanbul; DROP", "x".repeat(65))) {
            given().auth().oauth2(token("marketer")).queryParam("timeZone", zone).when().get("/api/campaigns/" + unknown + "/send-times")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        }
        given().auth().oauth2(token("analyst")).when().get("/api/campaigns/" + unknown + "/send-times").then().statusCode(403);
        given().when().get("/api/campaigns/" + unknown + "/send-times").then().statusCode(401);
    }

    @Test
    void theOperationIsDocumentedWithEachStatus() {
        for (String status : List.of("200", "400", "401", "403", "404")) {
            given().when().get(openapi + "?format=json").then().statusCode(200)
                    .body("paths.'/api/campaigns/{id}/send-times'.get.responses", hasKey(status));
        }
    }
}
