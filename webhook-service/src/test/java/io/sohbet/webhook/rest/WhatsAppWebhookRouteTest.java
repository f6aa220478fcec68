package io.sohbet.webhook.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.sohbet.webhook.service.SignatureVerifier;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /webhooks/whatsapp} is answered by a Vert.x route ({@link WhatsAppWebhookRoute}) as Quarkus REST answered
 * it: the same content types (REST's, with their charset) and problem bodies, the HTTP server metrics under the same
 * URI, and the operation still in the OpenAPI document.
 */
@QuarkusTest
class WhatsAppWebhookRouteTest {

    @Inject
    MeterRegistry registry;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openApi;

    static final byte[] STATUSES = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
            + "\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"106540352242922\"},"
            + "\"statuses\":[{\"id\":\"wamid.route-1\",\"status\":\"sent\",\"timestamp\":\"1764583200\",\"recipient_id\":\"905321230001\"},"
            + "{\"id\":\"wamid.route-2\",\"status\":\"sent\",\"timestamp\":\"1764583200\",\"recipient_id\":\"905321230002\"}]},"
            + "\"field\":\"messages\"}]}]}").getBytes(StandardCharsets.UTF_8);

    static ExtractableResponse<Response> post(byte[] body, String signature) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.when().post("/webhooks/whatsapp").then().extract();
    }

    @Test
    void answersCarryQuarkusRestsContentTypes() {
        // a problem written by Quarkus REST (the handshake's GET), to compare with
        String restProblem = given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "wrong")
                .queryParam("hub.challenge", "1").when().get("/webhooks/whatsapp").then().statusCode(403).extract()
                .header("Content-Type");
        assertThat(restProblem).startsWith("application/problem+json");
        // a 200 written by Quarkus REST for an @Produces(APPLICATION_JSON) method (the shop webhook), to compare with
        String restJson = CommerceWebhookResourceTest.post(CommerceWebhookResourceTest.order("route-" + System.nanoTime(),
                "905321230009", "10.00"), "dev-commerce-secret").statusCode(200).extract().header("Content-Type");
        assertThat(restJson).startsWith("application/json");

        var stored = post(STATUSES, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, STATUSES));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.header("Content-Type")).isEqualTo(restJson);
        assertThat(stored.body().asString()).isEqualTo("{\"events\":2}");

        var unsigned = post(STATUSES, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.header("Content-Type")).isEqualTo(restProblem);
        assertThat(unsigned.body().asString()).isEqualTo("{\"type\":\"https://sohbet.io/problems/invalid-signature\","
                + "\"title\":\"Invalid signature\",\"status\":401,\"detail\":\"X-Hub-Signature-256 is missing or does not match the body\"}");

        byte[] notJson = "{\"object\":".getBytes(StandardCharsets.UTF_8);
        var malformed = post(notJson, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, notJson));
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.header("Content-Type")).isEqualTo(restProblem);
        assertThat(malformed.body().jsonPath().getString("title")).isEqualTo("Invalid webhook");
        assertThat(malformed.body().jsonPath().getString("detail")).startsWith("the body is not valid JSON (line 1, column");
    }

    @Test
    void theHttpServerMetricsNameTheWebhookPath() {
        post(STATUSES, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, STATUSES));
        post(STATUSES, null);
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Timer timer : registry.find("http.server.requests").tag("uri", "/webhooks/whatsapp").tag("method", "POST").timers()) {
            counts.merge(timer.getId().getTag("status"), timer.count(), Long::sum);
        }
        assertThat(counts).containsKeys("200", "401");
    }

    @Test
    void theRouteRunsAheadOfAuthenticationUnlessPermissionPoliciesAreSet() {
        int early = WhatsAppWebhookRoute.order(List.of("quarkus.http.port", "sohbet.webhook.max-body-size"));
        // after CORS (-300), before authentication (-200) and authorization (-100)
        assertThat(early).isGreaterThan(-SecurityHandlerPriorities.CORS).isLessThan(-SecurityHandlerPriorities.AUTHENTICATION);
        assertThat(WhatsAppWebhookRoute.order(List.of("quarkus.http.auth.permission.webhooks.paths")))
                .isEqualTo(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT);
        assertThat(WhatsAppWebhookRoute.order(List.of("QUARKUS_HTTP_AUTH_PERMISSION_WEBHOOKS_POLICY")))
                .isEqualTo(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT);
        // this service configures none: the route is installed early
        assertThat(WhatsAppWebhookRoute.order(ConfigProvider.getConfig().getPropertyNames())).isEqualTo(early);
    }

    @Test
    void everyAcknowledgedEventIsCountedUnderItsTopic() {
        // counted once per delivery and topic (EventPublisher.acknowledged), still one per event
        double before = statusEvents();
        var stored = post(STATUSES, SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, STATUSES));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(statusEvents() - before).isEqualTo(2.0);
    }

    private double statusEvents() {
        var counter = registry.find("sohbet.webhook.events").tag("topic", "wa.status").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theOperationIsStillInTheOpenApiDocument() {
        var post = given().queryParam("format", "json").get(openApi).then().statusCode(200).extract().jsonPath()
                .getMap("paths.'/webhooks/whatsapp'.post.responses");
        assertThat(post).containsKeys("200", "400", "401", "413", "503");
    }
}
