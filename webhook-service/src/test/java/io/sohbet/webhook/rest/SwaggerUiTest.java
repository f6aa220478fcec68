package io.sohbet.webhook.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;

/** Swagger UI is built in but off unless turned on at runtime (QUARKUS_SWAGGER_UI_ENABLED); the OpenAPI document stays. */
@QuarkusTest
class SwaggerUiTest {

    @TestHTTPResource(value = "/swagger-ui", management = true)
    URL swaggerUi;

    @TestHTTPResource(value = "/swagger-ui/index.html", management = true)
    URL swaggerUiPage;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openApi;

    @Test
    void swaggerUiIsOffByDefaultAndTheOpenApiDocumentIsServed() {
        given().redirects().follow(false).get(swaggerUi).then().statusCode(404);
        given().get(swaggerUiPage).then().statusCode(404);
        given().get(openApi).then().statusCode(200);
    }
}
