package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.CostTest.admin;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** The rate card API: import (admins), list and read (readers of metrics), delete; each 4xx as problem+json. */
@QuarkusTest
class RateCardResourceTest {

    static final String HEADER = "country,category,effective_from,price,currency\n";

    @Test
    void importReplacesListsAndDeletes() {
        // a country of its own, so that other tests' cards do not show here
        given().auth().oauth2(admin()).contentType("text/csv").body(HEADER + "NL,marketing,2026-07-01,1.5000,TRY\n"
                        + "NL,utility,2026-07-01,0.2500,TRY\n").when().post("/api/metrics/rate-card")
                .then().statusCode(200);
        given().auth().oauth2(admin()).contentType("text/csv").body(HEADER + "NL,marketing,2026-07-01,1.6000,TRY\n"
                        + "NL,marketing,2026-10-01,1.7000,TRY\n").when().post("/api/metrics/rate-card")
                .then().statusCode(200).body("lines", equalTo(2)).body("added", equalTo(1)).body("replaced", equalTo(1));

        List<Object> prices = given().auth().oauth2(analyst()).queryParam("country", "nl").when().get("/api/metrics/rate-card")
                .then().statusCode(200).extract().jsonPath().getList("price");
        assertThat(prices.stream().map(String::valueOf)).containsExactly("1.6", "1.7", "0.25");
        given().auth().oauth2(analyst()).queryParam("country", "NL").queryParam("category", "utility").when().get("/api/metrics/rate-card")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].effectiveFrom", equalTo("2026-07-01"))
                .body("[0].currency", equalTo("TRY"));

        long id = given().auth().oauth2(analyst()).queryParam("country", "NL").queryParam("category", "utility")
                .when().get("/api/metrics/rate-card").then().extract().jsonPath().getLong("[0].id");
        given().auth().oauth2(analyst()).when().get("/api/metrics/rate-card/" + id).then().statusCode(200).body("country", equalTo("NL"));
        given().auth().oauth2(analyst()).when().delete("/api/metrics/rate-card/" + id).then().statusCode(403);
        given().auth().oauth2(admin()).when().delete("/api/metrics/rate-card/" + id).then().statusCode(204);
        given().auth().oauth2(admin()).when().delete("/api/metrics/rate-card/" + id).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(analyst()).when().get("/api/metrics/rate-card/" + id).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aWrongCardImportsNothingAndNamesItsLines() {
        given().auth().oauth2(admin()).contentType("text/csv").body(HEADER + "BR,marketing,2026-07-01,0.9000,TRY\n"
                        + "BR,marketing,2026-13-01,0.9000,TRY\nBR,utility,2026-07-01,0.1,USD\n").when().post("/api/metrics/rate-card")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", startsWith("line 3: effective_from must be a date"))
                .body("errors[0].pointer", equalTo("/line/3")).body("errors[1].pointer", equalTo("/line/4"))
                .body("errors[1].detail", startsWith("currency must be TRY"));
        given().auth().oauth2(analyst()).queryParam("country", "BR").when().get("/api/metrics/rate-card")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void everyOther4xx() {
        given().auth().oauth2(admin()).contentType("text/csv").body("").when().post("/api/metrics/rate-card")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/line/1"));
        given().auth().oauth2(admin()).contentType("application/json").body("{}").when().post("/api/metrics/rate-card")
                .then().statusCode(415).contentType(Problem.MEDIA_TYPE);
        given().contentType("application/json").body("{}").when().post("/api/metrics/rate-card")
                .then().statusCode(401); // the roles first, whatever the type: nothing is told to a caller without a token
        given().auth().oauth2(admin()).contentType("text/csv; charset=UTF-8").body(HEADER + "IS,marketing,2025-07-01,0.5,TRY\n").when().post("/api/metrics/rate-card")
                .then().statusCode(200);
        StringBuilder huge = new StringBuilder(HEADER);
        for (int i = 0; i <= 10_000; i++) {
            huge.append("NL,marketing,").append(java.time.LocalDate.of(2000, 1, 1).plusDays(i)).append(",1,TRY\n");
        }
        given().auth().oauth2(admin()).contentType("text/csv").body(huge.toString()).when().post("/api/metrics/rate-card")
                .then().statusCode(413).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(analyst()).contentType("text/csv").body(HEADER + "NL,marketing,2026-07-01,1,TRY\n")
                .when().post("/api/metrics/rate-card").then().statusCode(403);
        given().contentType("text/csv").body(HEADER + "NL,marketing,2026-07-01,1,TRY\n")
                .when().post("/api/metrics/rate-card").then().statusCode(401);
        given().when().get("/api/metrics/rate-card").then().statusCode(401);
        given().auth().oauth2(TestTokens.person("sohbet-metrics", "ali", "privacy").sign()).when().get("/api/metrics/rate-card")
                .then().statusCode(403);
        given().auth().oauth2(analyst()).queryParam("country", "TUR").when().get("/api/metrics/rate-card")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(analyst()).when().get("/api/metrics/rate-card/abc").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(admin()).when().delete("/api/metrics/rate-card/abc").then().statusCode(400);
    }
}
