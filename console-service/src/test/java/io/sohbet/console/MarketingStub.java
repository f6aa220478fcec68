package io.sohbet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * segment-service's and campaign-service's answers to the marketer's pages, shaped as their OpenAPI says: the segment
 * list, a rule preview (refused with a JSON pointer when it names the attribute {@code nope}), creating a segment
 * ({@code taken} is taken, a rule naming {@code nope} is refused), the template list, creating a campaign (refused when named {@code refuse-me}), scheduling
 * it (422 when variant a uses the paused template {@code paused_offer}), deleting a draft, and the progress stream
 * (three events, then the end of the stream), and for {@link #INTERRUPTED_ID} a stream that ends after one event while
 * the campaign is still running (as when campaign-service restarts), and for {@link #LONG_ID} a campaign that runs for
 * a minute: an event every half second until the console closes the stream.
 */
final class MarketingStub {

    static final String CAMPAIGN_ID = "5e0c7c1a-8d1f-4a53-9b7e-3c2d1e0f9a8b";
    static final String INTERRUPTED_ID = "6f1d8d2b-9e2a-4b64-8c8f-4d3e2f1a0b9c";
    static final String LONG_ID = "7a2e9e3c-0f3b-4c75-9d90-5e4f3a2b1c0d";

    private MarketingStub() {
    }

    static void fill(Map<String, String> answers) {
        answers.put("/api/segments", """
                [{"id":"vip","name":"VIP","description":"built in","rule":{"attr":"rfmScore","op":">=","value":12},"builtIn":true,
                  "members":420,"belowMinimumSize":false,"minimumSize":50,"broken":false,"problem":null},
                 {"id":"lapsed","name":"Lapsed buyers","rule":{"attr":"lastOrderAt","op":"notWithin","value":"90d"},"builtIn":false,
                  "members":12,"belowMinimumSize":true,"minimumSize":50,"broken":false,"problem":null}]
                """);
        answers.put("/api/templates", """
                [{"name":"spring_offer","language":"tr","category":"MARKETING","status":"APPROVED","quality":"GREEN","parameters":1,
                  "bodyParameters":1,"headerFormat":null},
                 {"name":"spring_offer_b","language":"tr","category":"MARKETING","status":"APPROVED","quality":"GREEN","parameters":1,
                  "bodyParameters":1,"headerFormat":null},
                 {"name":"paused_offer","language":"en_US","category":"MARKETING","status":"PAUSED","quality":"RED","parameters":0,
                  "bodyParameters":0,"headerFormat":null}]
                """);
        answers.put("/api/campaigns/" + CAMPAIGN_ID, """
                {"id":"%s","name":"Spring","status":"running","createdBy":"marketer","createdAt":"2026-11-30T09:00:00Z",
                 "startAt":"2026-11-30T09:00:00Z","audience":400,"progress":{"queued":300,"sent":90,"delivered":10}}
                """.formatted(CAMPAIGN_ID));
        answers.put("/api/campaigns/" + INTERRUPTED_ID, """
                {"id":"%s","name":"Autumn","status":"running","createdBy":"marketer","createdAt":"2026-11-30T09:00:00Z",
                 "startAt":"2026-11-30T09:00:00Z","audience":50,"progress":{"queued":40,"sent":10}}
                """.formatted(INTERRUPTED_ID));
        answers.put("/api/campaigns/" + LONG_ID, """
                {"id":"%s","name":"Winter","status":"running","createdBy":"marketer","createdAt":"2026-11-30T09:00:00Z",
                 "startAt":"2026-11-30T09:00:00Z","audience":5000,"progress":{"queued":4990,"sent":10}}
                """.formatted(LONG_ID));
        answers.put("/api/campaigns", """
                [{"id":"%s","name":"Spring","status":"running","createdBy":"marketer","createdAt":"2026-11-30T09:00:00Z",
                  "startAt":"2026-11-30T09:00:00Z","audience":400}]
                """.formatted(CAMPAIGN_ID));
    }

    /** Answers the call when it is one of these; false lets the stub's plain GET answers take it. */
    static boolean handle(ApiStub stub, HttpExchange exchange, String method, String path, String body) throws IOException {
        if (method.equals("POST") && path.equals("/api/segments/preview")) {
            JsonNode rule = ApiStub.JSON.readTree(body).path("rule");
            if (rule.toString().contains("\"nope\"")) {
                send(exchange, 400, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/invalid-request","title":"Invalid request","status":400,
                         "detail":"the rule is invalid","errors":[{"pointer":"/rule/all/1/attr","detail":"unknown attribute nope"},
                         {"pointer":"/rule/all/1/value","detail":"must be a number"}]}""");
            } else {
                send(exchange, 200, "application/json", """
                        {"count":1234,"reachable":987,"sample":["SUBJECTaaaaaaaaaaaaaaaa1"],"belowMinimumSize":false,"minimumSize":50}""");
            }
            return true;
        }
        if (method.equals("POST") && path.equals("/api/segments")) {
            JsonNode input = ApiStub.JSON.readTree(body);
            if (input.path("rule").toString().contains("\"nope\"")) {
                send(exchange, 400, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/invalid-request","title":"Invalid request","status":400,
                         "detail":"the rule is invalid","errors":[{"pointer":"/rule/all/1/attr","detail":"unknown attribute nope"}]}""");
                return true;
            }
            if (input.path("id").asText().equals("taken")) {
                send(exchange, 409, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/conflict","title":"Conflict","status":409,"detail":"a segment with this id exists"}""");
                return true;
            }
            ObjectNode created = ((ObjectNode) input.deepCopy()).put("builtIn", false).put("members", 0)
                    .put("belowMinimumSize", true).put("minimumSize", 50).put("broken", false);
            exchange.getResponseHeaders().set("Location", "/api/segments/" + input.path("id").asText());
            send(exchange, 201, "application/json", created.toString());
            return true;
        }
        if (method.equals("POST") && path.equals("/api/campaigns")) {
            JsonNode definition = ApiStub.JSON.readTree(body);
            if (definition.path("name").asText().equals("refuse-me")) {
                send(exchange, 400, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/invalid-request","title":"Invalid request","status":400,
                         "detail":"the request is invalid","errors":[{"pointer":"/quietHours","detail":"needs a start and a different end (or enabled: false)"},
                         {"pointer":"/variants/1/weight","detail":"must be less than or equal to 1000"},
                         {"pointer":"/sendPath","detail":"must be messages or marketing_messages"}]}""");
                return true;
            }
            stub.remember("definition", body);
            send(exchange, 201, "application/json", """
                    {"id":"%s","name":%s,"status":"draft","createdBy":"marketer","createdAt":"2026-12-01T09:00:00Z"}"""
                    .formatted(CAMPAIGN_ID, definition.path("name").toString()));
            return true;
        }
        if (method.equals("POST") && path.equals("/api/campaigns/" + CAMPAIGN_ID + "/schedule")) {
            if (stub.remembered("definition").contains("paused_offer")) {
                send(exchange, 422, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/unusable-template","title":"Unusable template","status":422,
                         "detail":"a template of the campaign cannot be sent as defined",
                         "errors":[{"pointer":"/variants/0/message/template","detail":"template paused_offer (en_US) is PAUSED"}]}""");
                return true;
            }
            send(exchange, 200, "application/json", """
                    {"id":"%s","name":"Spring","status":"scheduled","createdBy":"marketer"}""".formatted(CAMPAIGN_ID));
            return true;
        }
        if (method.equals("DELETE") && path.equals("/api/campaigns/" + CAMPAIGN_ID)) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return true;
        }
        if (method.equals("GET") && path.equals("/api/campaigns/" + CAMPAIGN_ID + "/progress")) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (String event : new String[] {
                        "{\"id\":\"%s\",\"status\":\"running\",\"audience\":400,\"progress\":{\"queued\":300,\"sent\":100}}",
                        "{\"id\":\"%s\",\"status\":\"running\",\"audience\":400,\"progress\":{\"queued\":0,\"sent\":390,\"failed\":10}}",
                        "{\"id\":\"%s\",\"status\":\"completed\",\"audience\":400,\"winner\":\"b\",\"progress\":{\"sent\":390,\"failed\":10}}"}) {
                    out.write(("data:" + event.formatted(CAMPAIGN_ID) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sleep();
                }
            }
            return true;
        }
        if (method.equals("GET") && path.equals("/api/campaigns/" + LONG_ID + "/progress")) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 120; i++) {
                    out.write(("data:{\"id\":\"" + LONG_ID + "\",\"status\":\"running\",\"audience\":5000,"
                            + "\"progress\":{\"queued\":" + (4990 - i) + ",\"sent\":" + (10 + i) + "}}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (IOException e) {
                // the console closed the stream
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        if (method.equals("GET") && path.equals("/api/campaigns/" + INTERRUPTED_ID + "/progress")) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(("data:{\"id\":\"" + INTERRUPTED_ID + "\",\"status\":\"running\",\"audience\":50,"
                        + "\"progress\":{\"queued\":30,\"sent\":20}}\n\n").getBytes(StandardCharsets.UTF_8));
            }
            return true;
        }
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
