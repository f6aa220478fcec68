package io.sohbet.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of the four APIs' HTTP answers (consent, metrics, segment, campaign) for console-service's own tests:
 * fixed JSON shaped as the services answer it (their OpenAPI), so that a page's numbers can be compared with the
 * API's. It is not a repository or database mock: the services' own tests cover what the JSON means; the console's
 * pages are tested against it, the whole suite in e2e. It records every call with its bearer token's claims, and like
 * the services it refuses a token without a role the operation needs (403) or for another audience (401).
 */
public final class ApiStub implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    /** One call as the stub saw it: method, path with its decoded query, the token's claims, the body. */
    public record Call(String method, String uri, JsonNode claims, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, String> kept = new ConcurrentHashMap<>();
    public final Instant now = Instant.now();

    private ApiStub(HttpServer server) {
        this.server = server;
    }

    public static ApiStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            ApiStub stub = new ApiStub(server);
            server.createContext("/", stub::handle);
            // one thread per call: a progress stream that stays open does not hold up the calls beside it
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "api-stub");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            stub.fill();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void clear() {
        calls.clear();
        kept.clear();
    }

    /** The JSON the stub answers for a GET of {@code path} (no query). */
    public JsonNode answer(String path) {
        try {
            return JSON.readTree(answers.get(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text the stub answers for a GET of {@code path}, exactly as it is sent. */
    public String answerText(String path) {
        return answers.get(path);
    }

    /** Answers a GET of {@code path} (no query) with {@code json} from now on. */
    public void answer(String path, String json) {
        answers.put(path, json);
    }

    /** A request body the stub keeps for a later answer (a campaign's definition for its scheduling). */
    void remember(String key, String value) {
        kept.put(key, value);
    }

    String remembered(String key) {
        return kept.getOrDefault(key, "");
    }

    private void fill() {
        MarketingStub.fill(answers);
        Instant due = now.plus(Duration.ofDays(3)).plus(Duration.ofHours(1));
        answers.put("/api/dsr", """
                [{"id":"0b7e9a4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c","type":"erasure","subjectId":"SUBJECTaaaaaaaaaaaaaaaa1","status":"in-progress",
                  "requestedBy":"privacy","receivedAt":"%s","deadlines":{"kvkk":"%s","gdpr":"%s"},"dueAt":"%s","overdue":false,
                  "progress":[{"service":"metrics-service","status":"done","at":"%s","rowsAffected":12},
                              {"service":"segment-service","status":"pending"}]},
                 {"id":"1c8f0b5d-2e3f-4a4b-9cad-1e2f3a4b5c6d","type":"access","subjectId":"SUBJECTbbbbbbbbbbbbbbbb2","status":"completed",
                  "requestedBy":"admin","receivedAt":"%s","dueAt":"%s","overdue":false,"completedAt":"%s","progress":[]}]
                """.formatted(now.minus(Duration.ofDays(27)), due, due.plus(Duration.ofDays(2)), due, now.minusSeconds(600),
                now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(28)), now.minus(Duration.ofDays(1))));
        answers.put("/api/consents/SUBJECTaaaaaaaaaaaaaaaa1", """
                {"subjectId":"SUBJECTaaaaaaaaaaaaaaaa1",
                 "current":[{"id":7,"purpose":"marketing","channel":"whatsapp","state":"granted","source":"web-form","noticeId":"kvkk-aydinlatma",
                   "noticeVersion":"3","noticeSha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","evidence":true,
                   "recordedBy":"privacy","capturedAt":"2026-11-20T09:15:00Z","recordedAt":"2026-11-20T09:15:02Z"}],
                 "history":[{"id":3,"purpose":"marketing","channel":"whatsapp","state":"revoked","source":"reply-stop","evidence":false,
                   "recordedBy":"webhook-service","capturedAt":"2026-10-01T12:00:00Z","recordedAt":"2026-10-01T12:00:01Z"},
                  {"id":7,"purpose":"marketing","channel":"whatsapp","state":"granted","source":"web-form","noticeId":"kvkk-aydinlatma",
                   "noticeVersion":"3","noticeSha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","evidence":true,
                   "recordedBy":"privacy","capturedAt":"2026-11-20T09:15:00Z","recordedAt":"2026-11-20T09:15:02Z"}]}
                """);
        answers.put("/api/audit", """
                [{"seq":42,"at":"2026-11-30T10:00:00Z","actor":"privacy","action":"consent.history-read","subjectId":"SUBJECTaaaaaaaaaaaaaaaa1","details":"{}","hash":"ab12"},
                 {"seq":41,"at":"2026-11-30T09:00:00Z","actor":"admin","action":"dsr.submitted","subjectId":null,"details":"{}","hash":"cd34"}]
                """);
        answers.put("/api/audit/verify", """
                {"valid":true,"checked":42,"firstInvalidSeq":null,"problem":null,"headSeq":42,"headHash":"ab12","legacyEntries":0,
                 "publishedHead":{"seq":40,"hash":"ef56","at":"2026-11-30T09:59:00Z","status":"matches"}}
                """);
        answers.put("/api/destruction-records", """
                [{"auditSeq":17,"at":"2026-11-15T03:00:00Z","actor":"retention","service":"consent-service","dataset":"consent_record.evidence",
                  "category":"Pazarlama","records":311,"method":"silme","technique":"rows deleted","trigger":"retention-rule",
                  "legalReason":"KVKK m.7","reference":"r1","hash":"aa"}]
                """);
        answers.put("/api/iys/status", """
                {"enabled":true,"channels":{"whatsapp":{"type":"MESAJ","enforce":true}},"records":{"sent":120,"failed":2,"pending":5},
                 "overdue":1,"dueWithinADay":3,"feedReadAt":"2026-11-30T11:00:00Z",
                 "problems":[{"ledgerEntry":9,"subjectId":"SUBJECTaaaaaaaaaaaaaaaa1","channel":"whatsapp","status":"failed","state":"granted",
                   "reason":"H174","attempts":4,"consentDate":"2026-11-20T09:15:00Z","deadline":"2026-11-25T09:15:00Z"}],"backfill":[]}
                """);
        String cost = """
                {"currency":"TRY","charged":90,"free":10,"unpriced":0,"amount":123.4500,"perDelivered":1.2345,"perRead":2.0575,
                 "perClick":12.3450,"perConversion":41.1500,"revenueCurrency":"TRY","revenue":1500.00,"returnOnSpend":12.15}""";
        answers.put("/api/metrics/summary", """
                {"by":"campaign","range":{"from":"2026-11-01T00:00:00Z","to":"2026-12-01T00:00:00Z"},
                 "groups":[{"dimension":"spring-sale","sent":120,"delivered":100,"read":60,"opened":55,"failed":20,"recipients":120,"readers":55,
                   "clicked":12,"converted":3,"optedOut":1,"replied":5,"engaged":20,"deliveryRate":83.33,"openRate":55.0,
                   "clickThroughRate":21.82,"conversionRate":25.0,"optOutRate":1.0,"engagementRate":16.67,"cost":%s},
                  {"dimension":"quiet-one","sent":0,"delivered":0,"read":0,"opened":0,"failed":0,"recipients":0,"readers":0,
                   "clicked":0,"converted":0,"optedOut":0,"replied":0,"engaged":0},
                  {"sent":4,"delivered":4,"read":1,"opened":1,"failed":0,"recipients":4,"readers":1,
                   "clicked":0,"converted":0,"optedOut":0,"replied":0,"engaged":0,"deliveryRate":100.0}]}
                """.formatted(cost));
        answers.put("/api/metrics/campaigns/spring-sale", """
                {"campaignId":"spring-sale","range":{"from":"0001-01-01T00:00:00Z","to":"9999-12-31T00:00:00Z"},
                 "overall":{"dimension":"all","sent":120,"delivered":100,"read":60,"opened":55,"failed":20,"recipients":120,"readers":55,
                   "clicked":12,"converted":3,"optedOut":1,"replied":5,"engaged":20,"deliveryRate":83.33,"openRate":55.0,
                   "clickThroughRate":21.82,"conversionRate":25.0,"optOutRate":1.0,"engagementRate":16.67,"cost":%s},
                 "variants":[],"messageTypes":[],"sendWindows":[],"categories":[],
                 "abTest":{"metric":"click-through","variants":[{"variant":"a","successes":9,"trials":60},{"variant":"b","successes":3,"trials":40}],
                   "pValue":0.0312,"significant":true,"enoughSample":false,"minimumSamplePerVariant":100,"winner":null},
                 "failures":{"total":20,"ecosystemLimited":15,"rateLimited":2,"byCode":[{"code":131049,"kind":"ecosystem-limit","messages":15},
                   {"code":130429,"kind":"rate-limit","messages":2},{"code":131026,"kind":"other","messages":3}]}}
                """.formatted(cost));
        StringBuilder hourly = new StringBuilder();
        for (int h = 0; h < 24; h++) {
            hourly.append(h == 0 ? "" : ",").append(h >= 9 && h <= 21 ? h * 3 : 0);
        }
        answers.put("/api/metrics/read-times", """
                {"timeZone":"Europe/Istanbul","range":{"from":"2026-11-01T00:00:00Z","to":"2026-12-01T00:00:00Z"},"hourly":[%s],
                 "threeHourWindows":[],"sendWindows":[]}
                """.formatted(hourly));
        answers.put("/api/metrics/csat", """
                {"campaignId":"spring-sale","range":{"from":"2026-11-01T00:00:00Z","to":"2026-12-01T00:00:00Z"},"responses":10,"positive":7,
                 "score":70.0,"byScore":[0,1,0,2,3,4]}
                """);
        answers.put("/api/metrics/feedback", """
                {"replies":14,"positive":6,"neutral":5,"negative":3,"topKeywords":[{"keyword":"kargo","replies":5},{"keyword":"fiyat","replies":3}],
                 "themes":[{"keyword":"teslimat","replies":6}],"urgent":[]}
                """);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode claims = claims(exchange.getRequestHeaders().getFirst("Authorization"));
        String query = exchange.getRequestURI().getQuery(); // decoded
        calls.add(new Call(method, path + (query == null ? "" : "?" + query), claims, body));
        String service = path.startsWith("/api/metrics") ? "sohbet-metrics" : path.startsWith("/api/campaigns") || path.startsWith("/api/templates") ? "sohbet-campaign"
                : path.startsWith("/api/segments") ? "sohbet-segment" : "sohbet-consent";
        if (claims == null || !claims.path("aud").toString().contains("\"" + service + "\"")) {
            send(exchange, 401, "application/problem+json", "{\"title\":\"Unauthorized\",\"status\":401}");
            return;
        }
        String roles = claims.path("realm_access").path("roles").toString();
        boolean allowed = service.equals("sohbet-metrics") ? roles.matches(".*\"(analyst|marketer|admin)\".*")
                : service.equals("sohbet-consent") ? roles.matches(".*\"(privacy-officer|admin)\".*")
                : roles.matches(".*\"(marketer|admin)\".*");
        if (!allowed) {
            send(exchange, 403, "application/problem+json", "{\"title\":\"Forbidden\",\"status\":403}");
            return;
        }
        if (MarketingStub.handle(this, exchange, method, path, body)) {
            return;
        }
        if (method.equals("POST") && path.equals("/api/dsr")) {
            JsonNode submission = JSON.readTree(body);
            if (submission.path("phone").asText().startsWith("5351")) {
                send(exchange, 400, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/invalid-request","title":"Invalid request","status":400,
                         "detail":"the request is invalid","errors":[{"pointer":"/phone","detail":"read two ways: give the country"}]}""");
                return;
            }
            ObjectNode created = (ObjectNode) JSON.readTree(answers.get("/api/dsr")).get(0).deepCopy();
            created.put("id", "2d9a1c6e-3f4a-4b5c-8d6e-2f3a4b5c6d7e").put("type", submission.path("type").asText()).put("status", "received");
            answers.put("/api/dsr/2d9a1c6e-3f4a-4b5c-8d6e-2f3a4b5c6d7e", created.toString());
            send(exchange, 202, "application/json", created.toString());
            return;
        }
        if (method.equals("POST") && path.equals("/api/subjects/lookup")) {
            JsonNode lookup = JSON.readTree(body);
            String phone = lookup.path("phone").asText();
            if (phone.equals("+90 532 123 45 67") || (phone.equals("0532 123 45 67") && lookup.path("country").asText().equals("TR"))) {
                send(exchange, 200, "application/json", answers.get("/api/consents/SUBJECTaaaaaaaaaaaaaaaa1"));
            } else if (phone.startsWith("5351")) {
                send(exchange, 400, "application/problem+json", """
                        {"type":"https://sohbet.io/problems/invalid-request","title":"Invalid request","status":400,
                         "detail":"the request is invalid","errors":[{"pointer":"/phone","detail":"read two ways: give the country"}]}""");
            } else {
                send(exchange, 404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404}");
            }
            return;
        }
        String answer = answers.get(path);
        if (answer == null && path.startsWith("/api/dsr/")) {
            for (JsonNode request : JSON.readTree(answers.get("/api/dsr"))) {
                if (path.equals("/api/dsr/" + request.path("id").asText())) {
                    answer = request.toString();
                }
            }
        }
        if (answer == null || !method.equals("GET")) {
            send(exchange, 404, "application/problem+json", "{\"title\":\"Not found\",\"status\":404}");
            return;
        }
        send(exchange, 200, "application/json", answer);
    }

    private static JsonNode claims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
