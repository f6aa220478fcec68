package io.sohbet.segment.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Preview counts, members by cursor and sizes over time, on profiles only this test has, and their 4xx paths. */
@QuarkusTest
class SegmentPagingTest {

    static final int PEOPLE = 7;

    @Inject
    Pool pool;

    @Test
    void previewCountsMembersPageByCursorAndSizesAreRecorded() throws Throwable {
        String suffix = Long.toHexString(System.nanoTime());
        String city = "Kırşehir-" + suffix;
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            subjects.add("page" + suffix + "p" + i + "subject");
        }
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO profile (subject_id, first_seen_at, last_seen_at, city) "
                + "SELECT s, now(), now(), $2 FROM unnest($1::text[]) AS s").execute(Tuple.of(subjects.toArray(new String[0]), city)));
        String marketer = SegmentResourceTest.marketer();
        String analyst = TestTokens.person("sohbet-segment", "ayla", "analyst").sign();
        String rule = "{\"attr\":\"city\",\"op\":\"=\",\"value\":\"KIRŞEHİR-" + suffix.toUpperCase(java.util.Locale.ROOT) + "\"}";

        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"rule\":" + rule + "}").when().post("/api/segments/preview")
                .then().statusCode(200).body("count", equalTo(PEOPLE)).body("belowMinimumSize", equalTo(true))
                .body("sample", org.hamcrest.Matchers.containsInAnyOrder(subjects.toArray()));
        given().auth().oauth2(analyst).contentType(ContentType.JSON).body("{\"rule\":" + rule + "}").when().post("/api/segments/preview")
                .then().statusCode(200).body("count", nullValue()).body("sample", empty());
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{}").when().post("/api/segments/preview")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);

        String id = "paging-" + suffix.substring(Math.max(0, suffix.length() - 10));
        given().auth().oauth2(marketer).contentType(ContentType.JSON).body("{\"id\":\"" + id + "\",\"name\":\"paging\",\"rule\":" + rule + "}")
                .when().post("/api/segments").then().statusCode(201);
        try {
            given().auth().oauth2(TestTokens.person("sohbet-segment", "ada", "admin").sign()).when().post("/api/segments/evaluations")
                    .then().statusCode(200);
            List<String> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = given().auth().oauth2(marketer).queryParam("limit", 3);
                if (cursor != null) {
                    request = request.queryParam("cursor", cursor);
                }
                Response page = request.when().get("/api/segments/" + id + "/members");
                page.then().statusCode(200);
                List<String> ids = page.jsonPath().getList("subjectIds");
                assertThat(ids.size()).isLessThanOrEqualTo(3);
                paged.addAll(ids);
                cursor = page.jsonPath().getString("nextCursor");
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(paged).as("every member once, in order").containsExactlyElementsOf(subjects.stream().sorted().toList());
            assertThat(pages).isEqualTo(3);

            given().auth().oauth2(marketer).when().get("/api/segments/" + id + "/sizes").then().statusCode(200)
                    .body("[0].members", equalTo(PEOPLE));
            given().auth().oauth2(analyst).when().get("/api/segments/" + id + "/sizes").then().statusCode(200)
                    .body("[0].members", nullValue());
            given().auth().oauth2(marketer).when().get("/api/segments/" + id).then().statusCode(200).body("members", equalTo(PEOPLE));

            given().auth().oauth2(marketer).queryParam("limit", 0).when().get("/api/segments/" + id + "/members").then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE);
            given().auth().oauth2(marketer).queryParam("limit", 10001).when().get("/api/segments/" + id + "/members").then().statusCode(400);
            given().auth().oauth2(marketer).queryParam("cursor", "not a cursor!").when().get("/api/segments/" + id + "/members")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
            given().auth().oauth2(marketer).when().get("/api/segments/no-such-segment/members").then().statusCode(404);
            given().auth().oauth2(marketer).queryParam("limit", 0).when().get("/api/segments/" + id + "/sizes").then().statusCode(400);
            given().auth().oauth2(analyst).when().get("/api/segments/" + id + "/members").then().statusCode(403);
        } finally {
            given().auth().oauth2(marketer).when().delete("/api/segments/" + id).then().statusCode(204);
        }
    }
}
