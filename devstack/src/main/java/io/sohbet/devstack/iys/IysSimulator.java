package io.sohbet.devstack.iys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.sohbet.events.TurkishBusinessDays;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for İYS (İleti Yönetim Sistemi) in tests and the local run. It speaks the REST protocol of
 * {@code docs/turkish-compliance.md} §3: the OAuth2 password grant and refresh ({@code POST /oauth2/token}), single add
 * ({@code POST …/consents}), asynchronous batch add ({@code POST …/consents/request}) and its result
 * ({@code GET …/consents/request/{requestId}}), status ({@code POST …/consents/status}) and the change feed
 * ({@code GET …/consents/changes?source=HS|IYS&after=}) and the daily change file ({@code GET …/changes/{date}/file}),
 * under {@code /sps/{iysCode}/brands/{brandCode}}. It enforces
 * the rules of §2 (one record per recipient, recipient type and type; consentDate in GMT+3, not before 2015-05-01, not
 * in the future, later than the stored one and at most 3 business days old ({@link TurkishBusinessDays}); a first record
 * cannot be RET; the same status twice is refused; recipient formats; no {@code IYS_*} source from a provider) and
 * answers a refusal with HTTP 422 and {@code {"errors":[{location, code, message}]}}. The error codes are the
 * simulator's own ({@code H9xx}): İYS's catalogue of H-codes is not public in our sources. It limits calls per
 * operation and answers 429 beyond. Citizens' own changes ({@link #citizenRejects}) appear in the feed with
 * {@code source=IYS}. Nothing it holds is logged.
 */
public final class IysSimulator implements AutoCloseable {

    /**
     * How it is set up: the credentials and İYS numbers, token lifetimes, how long a batch stays {@code enqueue}, how
     * long the feed withholds the newest changes (İYS: an hour), and calls allowed per minute for each operation
     * ({@code token} per hour), 0 = unlimited.
     */
    public record Config(String username, String password, String iysCode, String brandCode, Duration accessTtl,
            Duration refreshTtl, Duration batchDelay, Duration feedHold, Map<String, Integer> limits) {

        /** İYS's token lifetimes (2 h, 4 h), the newest hour withheld, and the unofficial limits of §3. */
        public static Config standard() {
            return new Config("sohbet-iys", "local-iys-password", "700001", "700002", Duration.ofHours(2),
                    Duration.ofHours(4), Duration.ofMillis(300), Duration.ofHours(1), Map.of(TOKEN, 10, ADD, 50, BATCH, 2,
                            RESULT, 20, STATUS, 100, CHANGES, 50));
        }

        /** For tests: the same rules, the feed without delay and no call limits. */
        public static Config unlimited() {
            return standard().withFeedHold(Duration.ZERO).withLimits(Map.of());
        }

        public Config withFeedHold(Duration hold) {
            return new Config(username, password, iysCode, brandCode, accessTtl, refreshTtl, batchDelay, hold, limits);
        }

        public Config withLimits(Map<String, Integer> perMinute) {
            return new Config(username, password, iysCode, brandCode, accessTtl, refreshTtl, batchDelay, feedHold, perMinute);
        }
    }

    public static final String TOKEN = "token";
    public static final String ADD = "add";
    public static final String BATCH = "batch";
    public static final String RESULT = "result";
    public static final String STATUS = "status";
    public static final String CHANGES = "changes";
    public static final String FILE = "file";

    /** A consent record as İYS holds it. */
    public record Record(String recipient, String recipientType, String type, String status, String source,
            LocalDateTime consentDate, LocalDateTime creationDate, String transactionId) {
    }

    /** An entry of the change feed; {@code citizen}: made by the person through İYS ({@code source=IYS}). */
    record Change(long seq, Record record, boolean citizen, Instant at) {
    }

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime EARLIEST = LocalDateTime.of(2015, 5, 1, 0, 0);
    private static final Pattern BASE = Pattern.compile("^/sps/([^/]+)/brands/([^/]+)/(?:consents(/.*)?|changes/([^/]+)/file)$");
    private static final Pattern PHONE = Pattern.compile("^\\+90[1-9]\\d{9}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final List<String> HS_SOURCES = List.of("HS_FIZIKSEL_ORTAM", "HS_ISLAK_IMZA", "HS_WEB", "HS_CAGRI_MERKEZI",
            "HS_SOSYAL_MEDYA", "HS_EPOSTA", "HS_MESAJ", "HS_MOBIL", "HS_EORTAM", "HS_ETKINLIK", "HS_2015", "HS_ATM", "HS_KARAR");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Config config;
    private final HttpServer server;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iys-simulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Record> records = new HashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, ArrayNode> requests = new ConcurrentHashMap<>();
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> grants = new ConcurrentHashMap<>();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private volatile boolean down;
    private final AtomicInteger limited = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong(1_000_000);

    private IysSimulator(Config config, int port) throws IOException {
        this.config = config;
        this.server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "iys-simulator-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Starts on {@code port} (0: any free port). */
    public static IysSimulator start(Config config, int port) {
        try {
            return new IysSimulator(config, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the İYS simulator", e);
        }
    }

    /** The base URL a client uses instead of {@code https://api.iys.org.tr}. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    public Config config() {
        return config;
    }

    // ---- what tests play and read ----

    /**
     * A citizen rejects the brand's messages of {@code type} through İYS's own channels (web, mobile app, call centre):
     * recorded as RET with source {@code IYS_WEB} and a new transaction id, listed in the feed with {@code source=IYS}.
     * Returns the transaction id.
     */
    public synchronized String citizenRejects(String recipient, String type) {
        Record held = records.get(key(recipient, "BIREYSEL", type));
        if (held != null && held.status().equals("RET")) {
            throw new IllegalStateException("already rejected");
        }
        Record record = new Record(recipient, "BIREYSEL", type, "RET", "IYS_WEB", now(), now(), nextTransaction());
        records.put(key(recipient, "BIREYSEL", type), record);
        changes.add(new Change(seq.incrementAndGet(), record, true, Instant.now()));
        return record.transactionId();
    }

    /** The record held for an individual's {@code type}, or null. */
    public synchronized Record record(String recipient, String type) {
        return records.get(key(recipient, "BIREYSEL", type));
    }

    /** While {@code down}, every consent call is answered 503 (an outage); tokens are still granted. */
    public void down(boolean down) {
        this.down = down;
    }

    /** Makes every access token issued so far invalid, as if they had all expired; refresh tokens stay valid. */
    public void expireAccessTokens() {
        accessTokens.clear();
    }

    /** How many tokens were granted by {@code grantType} ({@code password}, {@code refresh_token}). */
    public int grants(String grantType) {
        AtomicInteger n = grants.get(grantType);
        return n == null ? 0 : n.get();
    }

    /** Calls refused with 401 (an unknown or expired token). */
    public int unauthorized() {
        return unauthorized.get();
    }

    /** Calls refused with 429 (over an operation's limit). */
    public int limited() {
        return limited.get();
    }

    /** Calls made to an operation (successful or not, past the token check). */
    public int calls(String operation) {
        Deque<Instant> made = calls.get(operation);
        return made == null ? 0 : made.size();
    }

    @Override
    public void close() {
        server.stop(0);
        scheduler.shutdownNow();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/oauth2/token") && method.equals("POST")) {
                token(exchange);
                return;
            }
            Matcher base = BASE.matcher(path);
            if (!base.matches()) {
                error(exchange, 404, null, "H900", "no such resource");
                return;
            }
            if (!authorized(exchange)) {
                unauthorized.incrementAndGet();
                respond(exchange, 401, JSON.writeValueAsBytes(Map.of("error", "invalid_token",
                        "error_description", "the access token is unknown or expired")));
                return;
            }
            if (down) {
                error(exchange, 503, null, "H503", "service unavailable");
                return;
            }
            if (!base.group(1).equals(config.iysCode()) || !base.group(2).equals(config.brandCode())) {
                error(exchange, 403, null, "H901", "the service provider or brand code is not yours");
                return;
            }
            if (base.group(4) != null) {
                if (!method.equals("GET") || !allowed(FILE, Duration.ofMinutes(1))) {
                    error(exchange, method.equals("GET") ? 429 : 405, null, method.equals("GET") ? "H999" : "H900",
                            method.equals("GET") ? "too many requests" : "method not allowed");
                    return;
                }
                file(exchange, base.group(4));
                return;
            }
            String rest = base.group(3) == null ? "" : base.group(3);
            String operation = switch (method + " " + (rest.startsWith("/request/") ? "/request/" : rest)) {
                case "POST " -> ADD;
                case "POST /request" -> BATCH;
                case "GET /request/" -> RESULT;
                case "POST /status" -> STATUS;
                case "GET /changes" -> CHANGES;
                default -> null;
            };
            if (operation == null) {
                error(exchange, 404, null, "H900", "no such resource");
                return;
            }
            if (!allowed(operation, Duration.ofMinutes(1))) {
                limited.incrementAndGet();
                error(exchange, 429, null, "H999", "too many requests");
                return;
            }
            switch (operation) {
                case ADD -> add(exchange);
                case BATCH -> batch(exchange);
                case RESULT -> result(exchange, rest.substring("/request/".length()));
                case STATUS -> status(exchange);
                default -> changes(exchange);
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, "{\"errors\":[{\"code\":\"H500\",\"message\":\"simulator failure\"}]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!allowed(TOKEN, Duration.ofHours(1))) {
            limited.incrementAndGet();
            error(exchange, 429, null, "H999", "too many token requests");
            return;
        }
        JsonNode body = body(exchange);
        String grantType = body == null ? "" : body.path("grant_type").asText();
        boolean ok = switch (grantType) {
            case "password" -> config.username().equals(body.path("username").asText())
                    && config.password().equals(body.path("password").asText());
            case "refresh_token" -> {
                Instant until = refreshTokens.remove(body.path("refresh_token").asText());
                yield until != null && until.isAfter(Instant.now());
            }
            default -> false;
        };
        if (!ok) {
            respond(exchange, 401, JSON.writeValueAsBytes(Map.of("error", "invalid_grant")));
            return;
        }
        grants.computeIfAbsent(grantType, k -> new AtomicInteger()).incrementAndGet();
        String access = UUID.randomUUID().toString();
        String refresh = UUID.randomUUID().toString();
        accessTokens.put(access, Instant.now().plus(config.accessTtl()));
        refreshTokens.put(refresh, Instant.now().plus(config.refreshTtl()));
        respond(exchange, 200, JSON.writeValueAsBytes(Map.of("access_token", access, "refresh_token", refresh,
                "expires_in", config.accessTtl().toSeconds(), "refresh_expires_in", config.refreshTtl().toSeconds(),
                "token_type", "bearer")));
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        Instant until = accessTokens.get(header.substring(7).strip());
        return until != null && until.isAfter(Instant.now());
    }

    private void add(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        if (body == null || !body.isObject()) {
            error(exchange, 400, null, "H902", "the body must be a JSON object");
            return;
        }
        ObjectNode outcome = apply(body);
        if (outcome.has("error")) {
            ObjectNode refusal = JSON.createObjectNode();
            refusal.putArray("errors").add(outcome.get("error"));
            respond(exchange, 422, JSON.writeValueAsBytes(refusal));
            return;
        }
        respond(exchange, 200, JSON.writeValueAsBytes(Map.of("transactionId", outcome.get("transactionId").asText(),
                "creationDate", outcome.get("creationDate").asText())));
    }

    private void batch(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        if (body == null || !body.isArray() || body.isEmpty()) {
            error(exchange, 400, null, "H902", "the body must be a non-empty JSON array");
            return;
        }
        if (body.size() > 10_000) {
            error(exchange, 422, null, "H903", "at most 10000 consents per request");
            return;
        }
        String requestId = UUID.randomUUID().toString();
        ArrayNode items = JSON.createArrayNode();
        ObjectNode answer = JSON.createObjectNode().put("requestId", requestId);
        ArrayNode subRequests = answer.putArray("subRequests");
        for (int i = 0; i < body.size(); i++) {
            String sub = UUID.randomUUID().toString();
            items.add(JSON.createObjectNode().put("index", i).put("status", "enqueue").put("subrequestId", sub));
            subRequests.add(JSON.createObjectNode().put("subrequestId", sub).put("index", i));
        }
        requests.put(requestId, items);
        scheduler.schedule(() -> {
            for (int i = 0; i < body.size(); i++) {
                ObjectNode outcome = apply(body.get(i));
                ObjectNode item = (ObjectNode) items.get(i);
                synchronized (items) {
                    if (outcome.has("error")) {
                        item.put("status", "failure").set("error", outcome.get("error"));
                    } else {
                        item.put("status", "success").put("transactionId", outcome.get("transactionId").asText())
                                .put("creationDate", outcome.get("creationDate").asText());
                    }
                }
            }
        }, config.batchDelay().toMillis(), TimeUnit.MILLISECONDS);
        respond(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    private void result(HttpExchange exchange, String requestId) throws IOException {
        ArrayNode items = requests.get(requestId);
        if (items == null) {
            error(exchange, 404, "requestId", "H904", "no such request");
            return;
        }
        byte[] answer;
        synchronized (items) {
            answer = JSON.writeValueAsBytes(items);
        }
        respond(exchange, 200, answer);
    }

    private void status(HttpExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        if (body == null || !body.isObject()) {
            error(exchange, 400, null, "H902", "the body must be a JSON object");
            return;
        }
        Record record;
        synchronized (this) {
            record = records.get(key(body.path("recipient").asText(), body.path("recipientType").asText(),
                    body.path("type").asText()));
        }
        if (record == null) {
            error(exchange, 404, "recipient", "H905", "no consent record for this recipient");
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("recipient", record.recipient())
                .put("recipientType", record.recipientType()).put("type", record.type()).put("status", record.status())
                .put("source", record.source()).put("consentDate", DATE.format(record.consentDate()))
                .put("creationDate", DATE.format(record.creationDate())).put("transactionId", record.transactionId());
        respond(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    private void changes(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        String source = query.get("source");
        if (!"HS".equals(source) && !"IYS".equals(source)) {
            error(exchange, 400, "source", "H906", "source must be HS or IYS");
            return;
        }
        long after;
        int limit;
        try {
            after = query.containsKey("after") ? Long.parseLong(query.get("after")) : 0;
            limit = query.containsKey("limit") ? Math.min(500, Integer.parseInt(query.get("limit"))) : 500;
        } catch (NumberFormatException e) {
            error(exchange, 400, "after", "H907", "after and limit must be numbers");
            return;
        }
        Instant newest = Instant.now().minus(config.feedHold());
        Instant oldest = Instant.now().minus(Duration.ofDays(7));
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("list");
        long cursor = after;
        synchronized (this) {
            for (Change change : changes) {
                if (list.size() >= limit) {
                    break;
                }
                if (change.seq() <= after || change.citizen() != source.equals("IYS") || change.at().isAfter(newest)
                        || change.at().isBefore(oldest)) {
                    continue;
                }
                Record r = change.record();
                list.add(JSON.createObjectNode().put("consentDate", DATE.format(r.consentDate()))
                        .put("creationDate", DATE.format(r.creationDate())).put("source", r.source())
                        .put("recipient", r.recipient()).put("recipientType", r.recipientType()).put("status", r.status())
                        .put("type", r.type()).put("transactionId", r.transactionId()));
                cursor = change.seq();
            }
        }
        answer.put("after", Long.toString(cursor));
        respond(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    /**
     * The daily change file ({@code GET …/changes/{reportDate}/file}): every change of that day (GMT+3), the brand's and
     * citizens', as CSV with a header row {@code creationDate,transactionId,recipient,recipientType,type,status,
     * consentDate,source}; only the past 7 days.
     */
    private void file(HttpExchange exchange, String reportDate) throws IOException {
        java.time.LocalDate day;
        try {
            day = java.time.LocalDate.parse(reportDate);
        } catch (DateTimeParseException e) {
            error(exchange, 400, "reportDate", "H908", "reportDate must be yyyy-MM-dd");
            return;
        }
        java.time.LocalDate today = LocalDateTime.now(TurkishBusinessDays.ZONE).toLocalDate();
        if (day.isAfter(today) || day.isBefore(today.minusDays(7))) {
            error(exchange, 404, "reportDate", "H909", "no change file for this day");
            return;
        }
        StringBuilder csv = new StringBuilder("creationDate,transactionId,recipient,recipientType,type,status,consentDate,source\n");
        synchronized (this) {
            for (Change change : changes) {
                Record r = change.record();
                if (r.creationDate().toLocalDate().equals(day)) {
                    csv.append(String.join(",", DATE.format(r.creationDate()), r.transactionId(), r.recipient(),
                            r.recipientType(), r.type(), r.status(), DATE.format(r.consentDate()), r.source())).append('\n');
                }
            }
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/csv");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // ---- the rules ----

    /** Checks and stores one consent: {@code {transactionId, creationDate}} or {@code {error:{location, code, message}}}. */
    synchronized ObjectNode apply(JsonNode consent) {
        String recipientType = consent.path("recipientType").asText("");
        String type = consent.path("type").asText("");
        String status = consent.path("status").asText("");
        String source = consent.path("source").asText("");
        String recipient = consent.path("recipient").asText("");
        if (!recipientType.equals("BIREYSEL") && !recipientType.equals("TACIR")) {
            return refused("recipientType", "H910", "recipientType must be BIREYSEL or TACIR");
        }
        if (!List.of("MESAJ", "ARAMA", "EPOSTA").contains(type)) {
            return refused("type", "H911", "type must be MESAJ, ARAMA or EPOSTA");
        }
        if (!status.equals("ONAY") && !status.equals("RET")) {
            return refused("status", "H912", "status must be ONAY or RET");
        }
        if (type.equals("EPOSTA") ? !EMAIL.matcher(recipient).matches() : !PHONE.matcher(recipient).matches()) {
            return refused("recipient", "H913", type.equals("EPOSTA") ? "recipient must be an e-mail address"
                    : "recipient must be a phone number as +90 and ten digits");
        }
        boolean trader = recipientType.equals("TACIR");
        if (source.startsWith("IYS_")) {
            return refused("source", "H914", "a service provider cannot upload an IYS source");
        }
        if (!(trader && source.isEmpty()) && !HS_SOURCES.contains(source)) {
            return refused("source", "H915", "unknown source");
        }
        LocalDateTime now = now();
        LocalDateTime consentDate;
        String date = consent.path("consentDate").asText("");
        if (trader && date.isEmpty()) {
            consentDate = now;
        } else {
            try {
                consentDate = LocalDateTime.parse(date, DATE);
            } catch (DateTimeParseException e) {
                return refused("consentDate", "H916", "consentDate must be yyyy-MM-dd HH:mm:ss");
            }
        }
        if (consentDate.isBefore(EARLIEST)) {
            return refused("consentDate", "H917", "consentDate cannot be before 2015-05-01 00:00:00");
        }
        if (consentDate.isAfter(now)) {
            return refused("consentDate", "H918", "consentDate cannot be in the future");
        }
        if (source.equals("HS_2015") && !consentDate.equals(EARLIEST)) {
            return refused("consentDate", "H919", "HS_2015 is accepted only with consentDate 2015-05-01 00:00:00");
        }
        if (!source.equals("HS_2015")
                && now.toLocalDate().isAfter(TurkishBusinessDays.plusBusinessDays(consentDate.toLocalDate(), 3))) {
            return refused("consentDate", "H920", "consentDate is more than 3 business days old");
        }
        String key = key(recipient, recipientType, type);
        Record held = records.get(key);
        if (held == null && status.equals("RET")) {
            return refused("status", "H921", "the first record of a recipient cannot be RET");
        }
        if (held != null && !consentDate.isAfter(held.consentDate())) {
            return refused("consentDate", "H922", "consentDate must be later than the stored consent's");
        }
        if (held != null && held.status().equals(status)) {
            return refused("status", "H923", "the recipient's consent is already " + status);
        }
        Record record = new Record(recipient, recipientType, type, status, source, consentDate, now, nextTransaction());
        records.put(key, record);
        changes.add(new Change(seq.incrementAndGet(), record, false, Instant.now()));
        return JSON.createObjectNode().put("transactionId", record.transactionId())
                .put("creationDate", DATE.format(record.creationDate()));
    }

    private static ObjectNode refused(String location, String code, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error").put("location", location).put("code", code).put("message", message);
        return out;
    }

    private String nextTransaction() {
        return Long.toString(transactions.incrementAndGet());
    }

    private static LocalDateTime now() {
        return LocalDateTime.now(TurkishBusinessDays.ZONE).withNano(0);
    }

    private static String key(String recipient, String recipientType, String type) {
        return recipient + "|" + recipientType + "|" + type;
    }

    private boolean allowed(String operation, Duration window) {
        Deque<Instant> made = calls.computeIfAbsent(operation, k -> new ArrayDeque<>());
        int limit = config.limits().getOrDefault(operation, 0);
        synchronized (made) {
            Instant now = Instant.now();
            if (limit > 0) {
                long inWindow = made.stream().filter(at -> at.isAfter(now.minus(window))).count();
                if (inWindow >= limit) {
                    return false;
                }
            }
            made.add(now);
            return true;
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException malformed) {
            return null;
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void error(HttpExchange exchange, int status, String location, String code, String message)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        if (location != null) {
            error.put("location", location);
        }
        error.put("code", code).put("message", message);
        respond(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
