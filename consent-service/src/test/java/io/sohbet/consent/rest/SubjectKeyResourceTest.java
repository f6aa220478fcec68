package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class SubjectKeyResourceTest {

    @Inject
    Pool database;

    static String token(String... roles) {
        return OidcWiremockTestResource.getAccessToken("svc", Set.of(roles));
    }

    static String subject() {
        return UUID.randomUUID().toString().replace("-", "") + "abc";
    }

    @Test
    void aServiceGetsTheSameKeyEveryTimeAndOnlyTheWrappedFormIsStored() {
        String a = subject();
        String b = subject();
        Map<String, String> first = given().auth().oauth2(token("service")).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(a, b))).when().post("/internal/subject-keys")
                .then().statusCode(200).extract().jsonPath().getMap("keys");
        Map<String, String> again = given().auth().oauth2(token("service")).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(a))).when().post("/internal/subject-keys")
                .then().statusCode(200).extract().jsonPath().getMap("keys");
        assertThat(first).containsOnlyKeys(a, b);
        assertThat(Base64.getDecoder().decode(first.get(a))).hasSize(32);
        assertThat(first.get(a)).isNotEqualTo(first.get(b));
        assertThat(again.get(a)).isEqualTo(first.get(a));

        String stored = database.preparedQuery("SELECT wrapped_key FROM subject_key WHERE subject_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(a)).await().indefinitely().iterator().next().getString(0);
        assertThat(stored).startsWith("v1.").doesNotContain(first.get(a));
    }

    @Test
    void findReturnsExistingKeysAndNeverCreatesOne() {
        String known = subject();
        String erased = subject();
        String created = given().auth().oauth2(token("service")).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(known, erased))).when().post("/internal/subject-keys")
                .then().statusCode(200).extract().jsonPath().getString("keys." + known);
        database.preparedQuery("DELETE FROM subject_key WHERE subject_id = $1") // what an erasure does to the key
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(erased)).await().indefinitely();
        String never = subject();

        Map<String, String> found = given().auth().oauth2(token("service")).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(known, erased, never))).when().post("/internal/subject-keys/find")
                .then().statusCode(200).extract().jsonPath().getMap("keys");

        assertThat(found).containsOnlyKeys(known);
        // an erasure request says when the person was erased; a subject never erased has no such date
        sql("INSERT INTO dsr_request (id, type, subject_id, status, requested_by, received_at, due_at) "
                + "VALUES ($1, 'erasure', $2, 'completed', 'test', $3, $4)", UUID.randomUUID().toString(), erased,
                java.time.OffsetDateTime.parse("2026-11-01T10:00:00Z"), java.time.OffsetDateTime.parse("2026-12-01T10:00:00Z"));
        Map<String, String> erasedAt = given().auth().oauth2(token("service")).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(known, erased, never))).when().post("/internal/subject-keys/find")
                .then().statusCode(200).extract().jsonPath().getMap("erased");
        assertThat(erasedAt).containsOnlyKeys(erased);
        assertThat(java.time.Instant.parse(erasedAt.get(erased))).isEqualTo(java.time.Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(found.get(known)).isEqualTo(created);
        long rows = database.preparedQuery("SELECT count(*) FROM subject_key WHERE subject_id = ANY($1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of((Object) new String[] {erased, never})).await().indefinitely()
                .iterator().next().getLong(0);
        assertThat(rows).as("keys created by find").isZero();
    }

    private void sql(String statement, Object... parameters) {
        database.preparedQuery(statement).execute(io.vertx.mutiny.sqlclient.Tuple.from(parameters)).await().indefinitely();
    }

    @Test
    void onlyServicesMayAsk() {
        String body = "{\"subjectIds\":[\"" + subject() + "\"]}";
        given().contentType(ContentType.JSON).body(body).when().post("/internal/subject-keys").then().statusCode(401);
        given().auth().oauth2(token("marketer", "admin")).contentType(ContentType.JSON).body(body)
                .when().post("/internal/subject-keys").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body(body).when().post("/internal/subject-keys/find").then().statusCode(401);
        given().auth().oauth2(token("marketer", "admin")).contentType(ContentType.JSON).body(body)
                .when().post("/internal/subject-keys/find").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(token("service")).contentType(ContentType.JSON).body("{\"subjectIds\":[]}")
                .when().post("/internal/subject-keys/find").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void badRequestsAre400ProblemsWithPointers() {
        given().auth().oauth2(token("service")).contentType(ContentType.JSON).body("{\"subjectIds\":[]}")
                .when().post("/internal/subject-keys").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/subjectIds"));
        given().auth().oauth2(token("service")).contentType(ContentType.JSON).body("{\"subjectIds\":[\"a b\"]}")
                .when().post("/internal/subject-keys").then().statusCode(400).body("errors[0].detail", equalTo("must be a subject id"));
        given().auth().oauth2(token("service")).contentType(ContentType.JSON).body("{\"subjectIds\":")
                .when().post("/internal/subject-keys").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }
}
