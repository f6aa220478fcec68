package io.sohbet.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTP stand-ins for the services campaign-service calls — consent-service's contact resolution and key vault
 * (erasure answers), segment-service's members, metrics-service's read hours and A/B outcomes — and the Cloud API
 * simulator as Meta, with the templates the tests send registered. Tests set the state (who consents, who is in
 * which segment, who reads when, which variant won, whose A/B outcome cannot be read) through the static fields.
 */
public class PeerStandIns implements QuarkusTestResourceLifecycleManager {

    /** subject → contact (phone E.164 or null, BSUID or null, name, first name); absent: neither phone nor BSUID known. */
    public static final Map<String, Contact> CONTACTS = new ConcurrentHashMap<>();
    /** Subjects whose marketing consent is revoked (or never given). */
    public static final Set<String> REVOKED = ConcurrentHashMap.newKeySet();
    public static final AtomicBoolean CONSENT_AVAILABLE = new AtomicBoolean(true);
    public static final AtomicInteger RESOLVE_CALLS = new AtomicInteger();
    /** segment → members (served in subject-id order). */
    public static final Map<String, List<String>> SEGMENTS = new ConcurrentHashMap<>();
    /**
     * segment → a gate its members wait behind: the request is counted down on {@code reached} (index 0) and answered
     * once {@code release} (index 1) is open, as a segment-service that stalls a planner.
     */
    public static final Map<String, java.util.concurrent.CountDownLatch[]> MEMBERS_GATES = new ConcurrentHashMap<>();
    /** subject → best read hours. */
    public static final Map<String, List<Integer>> BEST_HOURS = new ConcurrentHashMap<>();
    /** segment ("" = everyone) → reads by hour. */
    public static final Map<String, long[]> READ_TIMES = new ConcurrentHashMap<>();
    /** campaign → A/B test answer as metrics-service gives it. */
    public static final Map<String, JsonNode> AB_TESTS = new ConcurrentHashMap<>();
    /** Campaigns whose A/B outcome metrics-service cannot give right now (answered 503). */
    public static final Set<String> METRICS_DOWN = ConcurrentHashMap.newKeySet();
    /** Subjects erased at consent-service, and when (the key vault's {@code erased}). */
    public static final Map<String, java.time.Instant> ERASED = new ConcurrentHashMap<>();
    /** The template of {@code CampaignResourceTest.draft}: a body with one parameter. */
    public static final String TEMPLATE = "kis_indirimi";
    /** A template with a body parameter and a URL button whose suffix is the tracked link (button 0). */
    public static final String LINK_TEMPLATE = "kis_indirimi_link";
    /** An AUTHENTICATION template (a one-time code in the body): Meta sends it to phone numbers only. */
    public static final String AUTH_TEMPLATE = "giris_kodu";
    /** A UTILITY template with a body parameter. */
    public static final String UTILITY_TEMPLATE = "siparis_durumu";
    /** A template with an image header and a body parameter. */
    public static final String IMAGE_TEMPLATE = "kis_indirimi_gorsel";

    public static volatile CloudApiSimulator simulator;
    /** Members in subject-id order, computed once per member list (benchmarks page through a million). */
    private static final Map<List<String>, List<String>> SORTED = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** {@code address}: the address type consent-service answers ({@code phone}, {@code bsuid}), null: none said. */
    public record Contact(String phone, String bsuid, String name, String firstName, String address) {

        public Contact(String phone, String bsuid, String name, String firstName) {
            this(phone, bsuid, name, firstName, null);
        }

        public Contact(String phone, String name, String firstName) {
            this(phone, null, name, firstName);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.concurrent.atomic.AtomicLong PHONES = new java.util.concurrent.atomic.AtomicLong(
            new java.util.Random().nextInt(5_000_000));
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/internal/contacts/resolve", this::resolve);
        server.createContext("/api/segments/", this::members);
        server.createContext("/internal/read-hours", this::bestHours);
        server.createContext("/api/metrics/read-times", this::readTimes);
        server.createContext("/api/metrics/campaigns/", this::campaign);
        server.createContext("/internal/subject-keys", this::subjectKeys);
        // client credentials for replicas in child processes (their OIDC client is built in); the stand-ins take any token
        server.createContext("/oidc/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] token = "{\"access_token\":\"stand-in-token\",\"token_type\":\"Bearer\",\"expires_in\":86400}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, token.length);
            exchange.getResponseBody().write(token);
            exchange.close();
        });
        server.start();
        CloudApiSimulator.Config local = CloudApiSimulator.Config.local(null);
        simulator = CloudApiSimulator.start(new CloudApiSimulator.Config(local.accessToken(), local.appSecret(), local.wabaId(),
                local.phoneNumberId(), local.displayNumber(), null, Integer.getInteger("benchmark.simulator.mps", local.maxPerSecond())), 0);
        simulator.registerTemplate(TEMPLATE, "tr", 1);
        ArrayNode link = JSON.createArrayNode();
        link.addObject().put("type", "BODY").put("text", "Merhaba {{1}}, kış indirimi başladı!");
        link.addObject().put("type", "BUTTONS").putArray("buttons").addObject().put("type", "URL").put("text", "Mağazaya git")
                .put("url", "https://sohbet.example/l/{{1}}");
        simulator.registerTemplate(LINK_TEMPLATE, "tr", "MARKETING", link);
        ArrayNode image = JSON.createArrayNode();
        image.addObject().put("type", "HEADER").put("format", "IMAGE");
        image.addObject().put("type", "BODY").put("text", "Merhaba {{1}}, kış indirimi başladı!");
        simulator.registerTemplate(IMAGE_TEMPLATE, "tr", "MARKETING", image);
        ArrayNode code = JSON.createArrayNode();
        code.addObject().put("type", "BODY").put("text", "{{1}} doğrulama kodunuzdur.");
        simulator.registerTemplate(AUTH_TEMPLATE, "tr", "AUTHENTICATION", code);
        ArrayNode order = JSON.createArrayNode();
        order.addObject().put("type", "BODY").put("text", "Siparişiniz {{1}} yola çıktı.");
        simulator.registerTemplate(UTILITY_TEMPLATE, "tr", "UTILITY", order);
        String base = "http://localhost:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.consent.url", base, "quarkus.rest-client.segment.url", base,
                "quarkus.rest-client.metrics.url", base, "quarkus.oidc-client.enabled", "false",
                "sohbet.campaign.whatsapp.base-url", simulator.baseUrl().toString(),
                "sohbet.campaign.whatsapp.phone-number-id", simulator.config().phoneNumberId(),
                "sohbet.campaign.whatsapp.waba-id", simulator.config().wabaId(),
                "sohbet.campaign.whatsapp.access-token", simulator.config().accessToken());
    }

    /**
     * The key vault's erasure check ({@code /erasures}, the only call campaign-service may make to it): every subject not
     * erased has a key, and when each erased one was erased. Any other vault call is refused, as the real vault refuses
     * campaign-service's account: it holds no data key.
     */
    private void subjectKeys(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/internal/subject-keys/erasures")) {
            reply(exchange, 403, JSON.createObjectNode());
            return;
        }
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode keyed = answer.putArray("keyed");
        ObjectNode erased = answer.putObject("erased");
        request.path("subjectIds").forEach(s -> {
            java.time.Instant at = ERASED.get(s.asText());
            if (at == null) {
                keyed.add(s.asText());
            } else {
                erased.put(s.asText(), at.toString());
            }
        });
        reply(exchange, 200, answer);
    }

    private void resolve(HttpExchange exchange) throws IOException {
        RESOLVE_CALLS.incrementAndGet();
        if (!CONSENT_AVAILABLE.get()) {
            reply(exchange, 503, JSON.createObjectNode());
            return;
        }
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode contacts = answer.putArray("contacts");
        ArrayNode withheld = answer.putArray("withheld");
        request.path("subjectIds").forEach(s -> {
            String subject = s.asText();
            Contact c = CONTACTS.get(subject);
            if (REVOKED.contains(subject)) {
                withheld.addObject().put("subjectId", subject).put("reason", "no-consent");
            } else if (c == null) {
                withheld.addObject().put("subjectId", subject).put("reason", "no-contact");
            } else {
                // as consent-service answers (contract of session 31), with a field campaign-service does not know
                ObjectNode contact = contacts.addObject().put("subjectId", subject).put("phone", c.phone()).put("bsuid", c.bsuid())
                        .put("name", c.name()).put("firstName", c.firstName()).put("locale", "tr");
                if (c.address() != null) {
                    contact.putObject("address").put("type", c.address()).put("value", c.address().equals("bsuid") ? c.bsuid() : c.phone());
                }
            }
        });
        reply(exchange, 200, answer);
    }

    private void members(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String[] path = uri.getPath().split("/");
        java.util.concurrent.CountDownLatch[] gate = MEMBERS_GATES.get(path[3]);
        if (gate != null) {
            gate[0].countDown();
            try {
                gate[1].await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> members = SEGMENTS.get(path[3]);
        if (members == null) {
            reply(exchange, 404, JSON.createObjectNode());
            return;
        }
        Map<String, String> query = query(uri);
        String cursor = query.getOrDefault("cursor", "");
        int limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
        List<String> sorted = SORTED.computeIfAbsent(members, m -> m.stream().sorted().toList());
        int from = Collections.binarySearch(sorted, cursor);
        from = from >= 0 ? from + 1 : -from - 1;
        List<String> page = sorted.subList(from, Math.min(sorted.size(), from + limit));
        ObjectNode answer = JSON.createObjectNode().put("segmentId", path[3]);
        page.forEach(answer.putArray("subjectIds")::add);
        if (page.size() == limit) {
            answer.put("nextCursor", page.get(page.size() - 1));
        }
        reply(exchange, 200, answer);
    }

    private void bestHours(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        ObjectNode answer = JSON.createObjectNode().put("timeZone", "Europe/Istanbul");
        ObjectNode best = answer.putObject("bestHours");
        request.path("subjectIds").forEach(s -> {
            List<Integer> hours = BEST_HOURS.get(s.asText());
            if (hours != null) {
                hours.forEach(best.putArray(s.asText())::add);
            }
        });
        reply(exchange, 200, answer);
    }

    private void readTimes(HttpExchange exchange) throws IOException {
        String segment = query(exchange.getRequestURI()).getOrDefault("segmentId", "");
        long[] hourly = READ_TIMES.getOrDefault(segment, new long[24]);
        ObjectNode answer = JSON.createObjectNode().put("timeZone", "Europe/Istanbul");
        ArrayNode h = answer.putArray("hourly");
        for (long n : hourly) {
            h.add(n);
        }
        reply(exchange, 200, answer);
    }

    private void campaign(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/api/metrics/campaigns/".length());
        if (METRICS_DOWN.contains(id)) {
            reply(exchange, 503, JSON.createObjectNode().put("title", "Service unavailable"));
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("campaignId", id);
        JsonNode test = AB_TESTS.get(id);
        if (test != null) {
            answer.set("abTest", test);
        }
        reply(exchange, 200, answer);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new ConcurrentHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A fresh audience of {@code n} consenting Turkish mobile subscribers in a new segment; returns the segment id. */
    public static String audience(String name, int n, List<String> subjectsOut) {
        String segment = name + "-" + Long.toHexString(System.nanoTime());
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String subject = "sub" + Long.toHexString(System.nanoTime()) + "x" + i;
            String phone = "+90532" + String.format("%07d", PHONES.incrementAndGet() % 10_000_000);
            CONTACTS.put(subject, new Contact(phone, "Ayşe Yılmaz " + i, "Ayşe" + i));
            members.add(subject);
        }
        SEGMENTS.put(segment, members);
        subjectsOut.addAll(members);
        return segment;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (simulator != null) {
            simulator.close();
        }
    }
}
