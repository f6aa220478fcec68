package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.webhook.Fixtures;
import io.sohbet.webhook.service.SignatureVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated and malformed bodies, correctly signed so that they reach the parser and the reader: never a 5xx. A fixed
 * seed keeps failures reproducible.
 */
@QuarkusTest
class WebhookFuzzTest {

    private static final int ROUNDS = 2_000;
    private static final List<String> SEEDS = List.of("all_inbound_types.json", "all_inbound_types_meta_escaped.json",
            "all_statuses.json", "user_preferences_stop_resume.json", "template_status_update.json");
    private static final String[] FRAGMENTS = {"null", "[]", "{}", "\"\"", "-1", "1e999", "\"\\ud83d\"", "true",
            "[[[[[[[[[[", "\"entry\"", ",", ":", "\"messages\":[1]", "\"type\":{}", "\"timestamp\":\"x\""};

    @Test
    void mutatedSignedWebhooksNeverGetA5xx() {
        Random random = new Random(20261122L);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < ROUNDS; i++) {
            byte[] body = mutate(Fixtures.own(SEEDS.get(random.nextInt(SEEDS.size()))), random);
            int status = given().contentType(ContentType.JSON)
                    .header("X-Hub-Signature-256", SignatureVerifier.sign(WhatsAppWebhookResourceTest.APP_SECRET, body))
                    .body(body).when().post("/webhooks/whatsapp").then().extract().statusCode();
            statuses.merge(status, 1, Integer::sum);
            assertThat(status).as("round %d: %s", i, new String(body, StandardCharsets.UTF_8)).isIn(200, 400);
        }
        // both outcomes must really occur, or the mutations are not doing their job
        assertThat(statuses).containsKeys(200, 400);
        given().when().get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=dev-verify-token&hub.challenge=ok")
                .then().statusCode(200);
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] body = Arrays.copyOf(seed, seed.length);
        switch (random.nextInt(6)) {
            case 0 -> { // flip a few bytes
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> body = Arrays.copyOf(body, random.nextInt(body.length)); // truncate
            case 2 -> { // splice a fragment in
                String text = new String(body, StandardCharsets.UTF_8);
                int at = random.nextInt(text.length());
                body = (text.substring(0, at) + FRAGMENTS[random.nextInt(FRAGMENTS.length)] + text.substring(at))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // replace a value of a known key with a fragment
                String text = new String(body, StandardCharsets.UTF_8);
                String fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
                body = text.replaceFirst("\"(id|type|timestamp|from|status|text|value|entry|changes)\":\\s*(\"[^\"]*\"|\\[|\\{)",
                        "\"$1\":" + fragment + (fragment.startsWith("\"") || fragment.matches("-?\\d.*|true|null") ? "," : ""))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> { // delete a slice
                int from = random.nextInt(body.length);
                int to = Math.min(body.length, from + random.nextInt(64));
                byte[] cut = new byte[body.length - (to - from)];
                System.arraycopy(body, 0, cut, 0, from);
                System.arraycopy(body, to, cut, from, body.length - to);
                body = cut;
            }
            default -> { // swap types of whole structures
                String text = new String(body, StandardCharsets.UTF_8);
                body = text.replace("\"messages\":[", "\"messages\":{\"x\":[").replace("]}", "]}}")
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
        return body;
    }
}
