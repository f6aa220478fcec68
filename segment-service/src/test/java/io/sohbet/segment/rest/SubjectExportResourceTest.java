package io.sohbet.segment.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class SubjectExportResourceTest {

    @Inject
    Pool pool;

    /** consent-service's token: the one caller of exports. */
    static String consentService() {
        return TestTokens.service("sohbet-consent", "sohbet-segment", "subject-export").sign();
    }

    static String token(String... roles) {
        return TestTokens.person("sohbet-segment", "someone", roles).sign();
    }

    @Test
    void everyTableWithASubjectIsExportedOnlyToServices() throws Throwable {
        String subject = UUID.randomUUID().toString().replace("-", "");
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                "INSERT INTO " + TABLE + " VALUES " + ROW).execute(Tuple.of(subject)));
        given().auth().oauth2(consentService()).when().get("/internal/subjects/" + subject + "/export").then().statusCode(200)
                .body("service", equalTo("segment-service")).body("subjectId", equalTo(subject))
                .body("tables." + TABLE, hasSize(1)).body("tables." + TABLE + "[0].subject_id", equalTo(subject));
        given().auth().oauth2(consentService()).when().get("/internal/subjects/nope/export").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(token("analyst")).when().get("/internal/subjects/" + subject + "/export").then().statusCode(403);
        given().when().get("/internal/subjects/" + subject + "/export").then().statusCode(401);
    }

    static final String TABLE = "profile";
    static final String ROW = "($1, now(), now())";
}
