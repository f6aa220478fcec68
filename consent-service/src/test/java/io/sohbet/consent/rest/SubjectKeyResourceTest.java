package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.consent.Fixtures;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
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
        return TestTokens.person("sohbet-consent", "svc", roles).sign();
    }

    /** webhook-service's token: the one caller that creates keys (and checks erasures). */
    static String webhook() {
        return TestTokens.service("sohbet-webhook", "sohbet-consent", "subject-keys:create", "subject-keys:read").sign();
    }

    static String subject() {
        return UUID.randomUUID().toString().replace("-", "") + "abc";
    }

    @Test
    void aServiceGetsTheSameKeyEveryTimeAndOnlyTheWrappedFormIsStored() {
        String a = subject();
        String b = subject();
        Map<String, String> first = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(a, b))).when().post("/internal/subject-keys")
                .then().statusCode(200).extract().jsonPath().getMap("keys");
        Map<String, String> again = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
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
        String created = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(known, erased))).when().post("/internal/subject-keys")
                .then().statusCode(200).extract().jsonPath().getString("keys." + known);
        database.preparedQuery("DELETE FROM subject_key WHERE subject_id = $1") // what an erasure does to the key
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(erased)).await().indefinitely();
        String never = subject();

        Map<String, String> found = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                .body(Map.of("subjectIds", Set.of(known, erased, never))).when().post("/internal/subject-keys/find")
                .then().statusCode(200).extract().jsonPath().getMap("keys");

        assertThat(found).containsOnlyKeys(known);
        // an erasure request says when the person was erased; a subject never erased has no such date
        sql("INSERT INTO dsr_request (id, type, subject_id, status, requested_by, received_at, due_at) "
                + "VALUES ($1, 'erasure', $2, 'completed', 'test', $3, $4)", UUID.randomUUID().toString(), erased,
                java.time.OffsetDateTime.parse("2026-11-01T10:00:00Z"), java.time.OffsetDateTime.parse("2026-12-01T10:00:00Z"));
        Map<String, String> erasedAt = given().auth().oauth2(webhook()).contentType(ContentType.JSON)
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

    @Test
    void aLateEventAboutAnErasedPersonGetsNoKeyButOneFromAfterTheErasureDoes() {
        String erased = subject();
        String never = subject();
        String oldCaller = subject();
        Instant erasedAt = Instant.parse("2026-11-01T10:00:00Z");
        erasure(erased, erasedAt);
        erasure(oldCaller, erasedAt);

        // Meta retries the webhook of a message written before the erasure, and one written at its very time
        for (Instant old : List.of(erasedAt.minus(Duration.ofDays(3)), erasedAt)) {
            var answer = getOrCreate(Map.of("subjectIds", Set.of(erased, never),
                    "happenedAt", Map.of(erased, old.toString(), never, old.toString())));
            assertThat(answer.<String, String>getMap("keys")).as("keys").containsOnlyKeys(never);
            assertThat(answer.<String, String>getMap("erased")).as("refused").containsOnlyKeys(erased);
            assertThat(Instant.parse(answer.getString("erased." + erased))).isEqualTo(erasedAt);
            assertThat(keyRows(erased)).as("key rows of the erased subject").isZero();
        }
        assertThat(keyRows(never)).as("a subject never erased gets its key").isOne();

        // a caller that sends no time is served as before
        var old = getOrCreate(Map.of("subjectIds", Set.of(oldCaller)));
        assertThat(old.<String, String>getMap("keys")).containsOnlyKeys(oldCaller);

        // the person writes after the erasure: a new beginning, with a new key
        var back = getOrCreate(Map.of("subjectIds", Set.of(erased),
                "happenedAt", Map.of(erased, erasedAt.plusSeconds(1).toString())));
        String key = back.getString("keys." + erased);
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(back.<String, String>getMap("erased")).as("still says when they were erased").containsOnlyKeys(erased);
        assertThat(keyRows(erased)).isOne();
        // once back, a late retry of the old message gets the key (the caller drops what happened before the erasure)
        var retry = getOrCreate(Map.of("subjectIds", Set.of(erased),
                "happenedAt", Map.of(erased, erasedAt.minus(Duration.ofDays(3)).toString())));
        assertThat(retry.getString("keys." + erased)).isEqualTo(key);
        assertThat(Instant.parse(retry.getString("erased." + erased))).isEqualTo(erasedAt);
    }

    @Test
    void absurdOrStrayTimesAre400() {
        String a = subject();
        String b = subject();
        for (Object happenedAt : List.of(Map.of(b, "2026-11-01T10:00:00Z"), Map.of(a, "1999-12-31T23:59:59Z"),
                Map.of(a, Instant.now().plus(Duration.ofDays(2)).toString()))) {
            given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                    .body(Map.of("subjectIds", Set.of(a), "happenedAt", happenedAt)).when().post("/internal/subject-keys")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/happenedAt"));
        }
        given().auth().oauth2(webhook()).contentType(ContentType.JSON)
                .body("{\"subjectIds\":[\"" + a + "\"],\"happenedAt\":{\"" + a + "\":\"yesterday\"}}")
                .when().post("/internal/subject-keys").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        assertThat(keyRows(a)).as("keys created by bad requests").isZero();
    }

    private io.restassured.path.json.JsonPath getOrCreate(Object body) {
        return given().auth().oauth2(webhook()).contentType(ContentType.JSON).body(body)
                .when().post("/internal/subject-keys").then().statusCode(200).extract().jsonPath();
    }

    private void erasure(String subject, Instant at) {
        sql("INSERT INTO dsr_request (id, type, subject_id, status, requested_by, received_at, due_at) "
                + "VALUES ($1, 'erasure', $2, 'completed', 'test', $3, $4)", UUID.randomUUID().toString(), subject,
                at.atOffset(java.time.ZoneOffset.UTC), at.plus(Duration.ofDays(30)).atOffset(java.time.ZoneOffset.UTC));
    }

    private long keyRows(String subject) {
        return database.preparedQuery("SELECT count(*) FROM subject_key WHERE subject_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(subject)).await().indefinitely().iterator().next().getLong(0);
    }

    private void sql(String statement, Object... parameters) {
        database.preparedQuery(statement).execute(io.vertx.mutiny.sqlclient.Tuple.from(parameters)).await().indefinitely();
    }

    /**
     * The erasure check (campaign-service's only use of the vault) says who has a key and when each was erased, and
     * returns no key; its role opens nothing else, and a key reader's role does not open it.
     */
    @Test
    void theErasureCheckSaysWhoHasAKeyAndWhenEachWasErasedWithoutAKey() {
        String known = subject();
        String erased = subject();
        String never = subject();
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body(Map.of("subjectIds", Set.of(known, erased)))
                .when().post("/internal/subject-keys").then().statusCode(200);
        sql("DELETE FROM subject_key WHERE subject_id = $1", erased);
        erasure(erased, Instant.parse("2026-11-01T10:00:00Z"));
        String checker = TestTokens.service("sohbet-campaign", "sohbet-consent", "subject-erasures:read").sign();
        String body = given().auth().oauth2(checker).contentType(ContentType.JSON).body(Map.of("subjectIds", Set.of(known, erased, never)))
                .when().post("/internal/subject-keys/erasures").then().statusCode(200).extract().asString();
        var answer = io.restassured.path.json.JsonPath.from(body);
        assertThat(answer.<String>getList("keyed")).containsExactly(known);
        assertThat(answer.<String, String>getMap("erased")).containsOnlyKeys(erased);
        assertThat(Instant.parse(answer.getString("erased." + erased))).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
        assertThat(answer.getMap("$")).as("no key in the answer").containsOnlyKeys("keyed", "erased");
        assertThat(keyRows(never)).as("no key created").isZero();

        String one = "{\"subjectIds\":[\"" + known + "\"]}";
        given().auth().oauth2(checker).contentType(ContentType.JSON).body(one)
                .when().post("/internal/subject-keys/find").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(checker).contentType(ContentType.JSON).body(one)
                .when().post("/internal/subject-keys").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        String reader = TestTokens.service("sohbet-metrics", "sohbet-consent", "subject-keys:read").sign();
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(one)
                .when().post("/internal/subject-keys/erasures").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body(one).when().post("/internal/subject-keys/erasures").then().statusCode(401);
        given().auth().oauth2(checker).contentType(ContentType.JSON).body("{\"subjectIds\":[]}")
                .when().post("/internal/subject-keys/erasures").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
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
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body("{\"subjectIds\":[]}")
                .when().post("/internal/subject-keys/find").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        // a reader's account finds keys but creates none; contact resolution's account touches no key
        String reader = TestTokens.service("sohbet-metrics", "sohbet-consent", "subject-keys:read").sign();
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(body)
                .when().post("/internal/subject-keys").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(body)
                .when().post("/internal/subject-keys/find").then().statusCode(200);
        given().auth().oauth2(Fixtures.service()).contentType(ContentType.JSON).body(body)
                .when().post("/internal/subject-keys/find").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void badRequestsAre400ProblemsWithPointers() {
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body("{\"subjectIds\":[]}")
                .when().post("/internal/subject-keys").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/subjectIds"));
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body("{\"subjectIds\":[\"a b\"]}")
                .when().post("/internal/subject-keys").then().statusCode(400).body("errors[0].detail", equalTo("must be a subject id"));
        given().auth().oauth2(webhook()).contentType(ContentType.JSON).body("{\"subjectIds\":")
                .when().post("/internal/subject-keys").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }
}
