package io.sohbet.campaign.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.campaign.TestRows;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class SubjectExportResourceTest {

    @Inject
    Pool pool;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    /** consent-service's token: the one caller of exports. */
    static String consentService() {
        return TestTokens.service("sohbet-consent", "sohbet-campaign", "subject-export").sign();
    }

    static String token(String... roles) {
        return TestTokens.person("sohbet-campaign", "someone", roles).sign();
    }

    @Test
    void everyTableWithASubjectIsExportedOnlyToServices() throws Throwable {
        String subject = UUID.randomUUID().toString().replace("-", "");
        TestRows.sentTo(pool, "c-" + subject, subject);
        given().auth().oauth2(consentService()).when().get("/internal/subjects/" + subject + "/export").then().statusCode(200)
                .body("service", equalTo("campaign-service")).body("subjectId", equalTo(subject))
                .body("tables." + TABLE, hasSize(1)).body("tables.recipient_window", hasSize(1)).body("tables." + TABLE + "[0].subject_id", equalTo(subject));
        given().auth().oauth2(consentService()).when().get("/internal/subjects/nope/export").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(token("analyst")).when().get("/internal/subjects/" + subject + "/export").then().statusCode(403);
        given().when().get("/internal/subjects/" + subject + "/export").then().statusCode(401);
    }

    @Test
    void theExportIsDocumentedWithEachStatus() {
        given().when().get(openapi + "?format=json").then().statusCode(200)
                .body("paths.'/internal/subjects/{subjectId}/export'.get.responses", hasKey("200"))
                .body("paths.'/internal/subjects/{subjectId}/export'.get.responses", hasKey("400"))
                .body("paths.'/internal/subjects/{subjectId}/export'.get.responses", hasKey("401"))
                .body("paths.'/internal/subjects/{subjectId}/export'.get.responses", hasKey("403"));
    }

    static final String TABLE = "send_queue";
}
