package io.sohbet.consent.messaging;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.privacy.ErasureParticipant;
import io.sohbet.kit.privacy.SubjectDataCheck;
import io.sohbet.kit.privacy.SubjectExportResource;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/**
 * consent-service publishes erasure requests and gathers the exports; the kit's privacy participant (built only with
 * sohbet.privacy.participant / sohbet.privacy.export) must not consume privacy.erasure here nor serve an export.
 */
@QuarkusTest
class NoErasureParticipantTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void consentServiceHasNeitherTheKitsErasureConsumerNorItsExport() {
        assertThat(Arc.container().instance(ErasureParticipant.class).isAvailable()).isFalse();
        assertThat(Arc.container().instance(SubjectDataCheck.class).isAvailable()).isFalse();
        assertThat(Arc.container().instance(SubjectExportResource.class).isAvailable()).isFalse();
        given().auth().oauth2(TestTokens.service("sohbet-consent", "sohbet-consent", "subject-export").sign())
                .when().get("/internal/subjects/" + "a".repeat(32) + "/export").then().statusCode(404);
        given().when().get(openapi + "?format=json").then().statusCode(200)
                .body("paths", not(hasKey("/internal/subjects/{subjectId}/export")));
    }
}
