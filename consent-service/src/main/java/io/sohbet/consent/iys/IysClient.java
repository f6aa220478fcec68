package io.sohbet.consent.iys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client of İYS's REST API ({@code docs/turkish-compliance.md} §3): single add, asynchronous batch add and its
 * result, status of one recipient, the change feed and the daily change file, under {@code /sps/{iysCode}/brands/{brandCode}/consents}, with
 * the brand's cached bearer token ({@link IysTokens}; a 401 drops the token and replays the call once). Outcomes: a
 * refused consent (422 or a failed batch item) is an {@link IysRefusedException}, never retried; 429, 5xx and network
 * failures are {@link IysUnavailableException}s, retried by each operation's SmallRye Fault Tolerance guard with
 * backoff for {@code sohbet.consent.iys.retry-for} (2 minutes), behind a rate limit per operation ({@code sohbet.consent.iys.limits}); other refusals
 * (400, 403, 404) are {@link IysCallException}s. Requests and answers hold phone numbers: nothing of them is logged.
 */
@ApplicationScoped
public class IysClient {

    /** One item of a batch request's result: {@code status} success, failure or enqueue. */
    public record BatchItem(int index, String status, String transactionId, String creationDate, String errorCode,
            String errorLocation, String errorMessage) {

        public boolean done() {
            return !"enqueue".equals(status);
        }

        /** A failed item's reason, e.g. {@code H920 consentDate: consentDate is more than 3 business days old}. */
        public String reason() {
            return errorCode + (errorLocation == null ? "" : " " + errorLocation) + ": " + masked(errorMessage);
        }
    }

    /** A recipient's record in İYS. */
    public record Status(String status, String source, String consentDate, String creationDate, String transactionId) {
    }

    /** A change from the feed. */
    public record Change(String recipient, String recipientType, String type, String status, String source,
            String consentDate, String creationDate, String transactionId) {
    }

    /** A page of the change feed and the cursor to ask from next. */
    public record ChangePage(List<Change> changes, String after) {
    }

    private static final Logger LOG = Logger.getLogger(IysClient.class);
    private static final TypeLiteral<Uni<JsonNode>> UNI_JSON = new TypeLiteral<>() {
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IysConfig config;
    private final WebClient web;
    private final IysTokens tokens;
    private final MeterRegistry metrics;
    private final Map<String, Guard> guards;

    public IysClient(ConsentConfig consent, Vertx vertx, MeterRegistry metrics) {
        this.config = consent.iys();
        this.metrics = metrics;
        this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(60)
                .setUserAgent("sohbet-consent-service"));
        IysConfig.Limits limits = config.limits();
        Guard tokenGuard = Guard.create().withRateLimit().limit(limits.tokenPerHour()).window(1, ChronoUnit.HOURS).done().build();
        this.tokens = new IysTokens(body -> tokenGuard.get(() -> grant(body), UNI_JSON),
                config.username().orElse(""), config.password().orElse(""), Clock.systemUTC());
        this.guards = Map.of("add", guard(limits.add()), "batch", guard(limits.batch()), "result", guard(limits.result()),
                "status", guard(limits.status()), "changes", guard(limits.changes()));
    }

    private Guard guard(int perMinute) {
        // SmallRye wants delay > jitter and maxDelay < maxDuration: 1 s doubling up to 30 s within 2 minutes by default
        long budget = Math.max(100, config.retryFor().toMillis());
        long delay = Math.min(1000, budget / 4);
        return Guard.create()
                .withRateLimit().limit(perMinute).window(1, ChronoUnit.MINUTES).done()
                .withRetry().maxRetries(-1).maxDuration(budget, ChronoUnit.MILLIS)
                .delay(delay, ChronoUnit.MILLIS).jitter(delay / 5, ChronoUnit.MILLIS)
                .whenException(e -> e instanceof IysUnavailableException || e instanceof RateLimitException)
                .withExponentialBackoff().factor(2).maxDelay(Math.max(delay, Math.min(30_000, budget / 2)), ChronoUnit.MILLIS).done()
                .done()
                .build();
    }

    /** Adds one consent: its İYS transaction id. */
    public Uni<String> add(IysConsent consent) {
        return call("add", HttpMethod.POST, "", consent).map(answer -> answer.path("transactionId").asText());
    }

    /** Starts an asynchronous batch add (at most 10,000 consents): its request id. */
    public Uni<String> addBatch(List<IysConsent> consents) {
        return call("batch", HttpMethod.POST, "/request", consents).map(answer -> {
            String id = answer.path("requestId").asText(null);
            if (id == null) {
                throw new IysCallException(200, "the batch answer holds no requestId");
            }
            return id;
        });
    }

    /** The result of a batch request so far, one item per consent sent, by index. */
    public Uni<List<BatchItem>> batchResult(String requestId) {
        return call("result", HttpMethod.GET, "/request/" + requestId, null).map(answer -> {
            JsonNode items = answer.isArray() ? answer : answer.path("list");
            List<BatchItem> out = new ArrayList<>();
            for (JsonNode item : items) {
                JsonNode error = item.path("error");
                out.add(new BatchItem(item.path("index").asInt(), item.path("status").asText(),
                        item.path("transactionId").asText(null), item.path("creationDate").asText(null),
                        error.path("code").asText(null), error.path("location").asText(null), error.path("message").asText(null)));
            }
            return out;
        });
    }

    /** The recipient's record for {@code type}, empty when İYS holds none. */
    public Uni<Optional<Status>> status(String recipient, String recipientType, String type) {
        ObjectNode body = JSON.createObjectNode().put("recipient", recipient).put("recipientType", recipientType).put("type", type);
        return call("status", HttpMethod.POST, "/status", body)
                .map(answer -> Optional.of(new Status(answer.path("status").asText(), answer.path("source").asText(null),
                        answer.path("consentDate").asText(null), answer.path("creationDate").asText(null),
                        answer.path("transactionId").asText(null))))
                .onFailure(e -> e instanceof IysCallException c && c.status() == 404).recoverWithItem(Optional.empty());
    }

    /** Changes after {@code after} (null: the oldest kept) made by the brand ({@code HS}) or by citizens ({@code IYS}). */
    public Uni<ChangePage> changes(String source, String after) {
        String query = "/changes?source=" + source + (after == null ? "" : "&after=" + java.net.URLEncoder.encode(after,
                java.nio.charset.StandardCharsets.UTF_8));
        return call("changes", HttpMethod.GET, query, null).map(answer -> {
            List<Change> out = new ArrayList<>();
            for (JsonNode c : answer.path("list")) {
                out.add(new Change(c.path("recipient").asText(), c.path("recipientType").asText(), c.path("type").asText(),
                        c.path("status").asText(), c.path("source").asText(), c.path("consentDate").asText(null),
                        c.path("creationDate").asText(null), c.path("transactionId").asText(null)));
            }
            return new ChangePage(out, answer.path("after").asText(after));
        });
    }

    /**
     * The daily change file of {@code reportDate} (GMT+3; İYS keeps the past 7 days): every change of that day, the
     * brand's and citizens', for reconciliation. Empty when İYS has no file for that day (404).
     */
    public Uni<List<Change>> dailyChanges(java.time.LocalDate reportDate) {
        String url = config.baseUrl().toString().replaceAll("/+$", "") + "/sps/" + config.iysCode().orElse("")
                + "/brands/" + config.brandCode().orElse("") + "/changes/" + reportDate + "/file";
        return guards.get("changes").get(() -> tokens.current().flatMap(token -> send(HttpMethod.GET, url, null,
                        "Bearer " + token.access()).flatMap(response -> {
                            if (response.statusCode() == 401) {
                                tokens.rejected(token);
                                throw new IysUnavailableException("İYS answered 401", null);
                            }
                            if (response.statusCode() == 404) {
                                return Uni.createFrom().item(com.fasterxml.jackson.databind.node.TextNode.valueOf(""));
                            }
                            if (response.statusCode() != 200) {
                                return Uni.createFrom().item(() -> answer(response));
                            }
                            return Uni.createFrom().item(com.fasterxml.jackson.databind.node.TextNode.valueOf(
                                    response.bodyAsString(java.nio.charset.StandardCharsets.UTF_8.name())));
                        })), UNI_JSON)
                .map(csv -> changesFile(csv.asText()));
    }

    /** Reads a change file: a header row naming the columns, then one change per row. */
    static List<Change> changesFile(String csv) {
        List<Change> out = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return out;
        }
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setTrim(true).get().parse(new java.io.StringReader(csv))) {
            for (var row : parser) {
                out.add(new Change(row.get("recipient"), row.get("recipientType"), row.get("type"), row.get("status"),
                        row.get("source"), row.get("consentDate"), row.get("creationDate"), row.get("transactionId")));
            }
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IysCallException(200, "the change file cannot be read: " + e.getClass().getSimpleName());
        }
        return out;
    }

    private Uni<JsonNode> call(String operation, HttpMethod method, String path, Object body) {
        return guards.get(operation).get(() -> attempt(method, path, body, true), UNI_JSON)
                .onItemOrFailure().invoke((answer, failure) -> metrics.counter("sohbet.iys.calls", "operation", operation,
                        "outcome", failure == null ? "ok" : outcome(failure)).increment());
    }

    private Uni<JsonNode> attempt(HttpMethod method, String path, Object body, boolean mayReplay) {
        String url = config.baseUrl().toString().replaceAll("/+$", "") + "/sps/" + config.iysCode().orElse("")
                + "/brands/" + config.brandCode().orElse("") + "/consents" + path;
        return tokens.current().flatMap(token -> send(method, url, body, "Bearer " + token.access()).flatMap(response -> {
            if (response.statusCode() == 401 && mayReplay) {
                tokens.rejected(token);
                return attempt(method, path, body, false);
            }
            return Uni.createFrom().item(() -> answer(response));
        }));
    }

    private Uni<JsonNode> grant(ObjectNode body) {
        String url = config.baseUrl().toString().replaceAll("/+$", "") + "/oauth2/token";
        return send(HttpMethod.POST, url, body, null).map(response -> {
            if (response.statusCode() == 200) {
                return read(response);
            }
            if (response.statusCode() == 429 || response.statusCode() >= 500) {
                throw new IysUnavailableException("İYS token request answered " + response.statusCode(), null);
            }
            throw new IysCallException(response.statusCode(), "İYS refused the token request (" + response.statusCode()
                    + "): check sohbet.consent.iys.username and password");
        });
    }

    private Uni<HttpResponse<Buffer>> send(HttpMethod method, String url, Object body, String authorization) {
        var request = web.requestAbs(method, url).timeout(30_000).putHeader("Accept", "application/json");
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        Uni<HttpResponse<Buffer>> sent;
        if (body == null) {
            sent = request.send();
        } else {
            try {
                sent = request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(JSON.writeValueAsBytes(body)));
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(new IllegalStateException(e));
            }
        }
        return sent.onFailure(e -> !(e instanceof IysUnavailableException || e instanceof IysCallException)).transform(e -> {
            LOG.warnf("İYS could not be reached: %s", e.getClass().getSimpleName());
            return new IysUnavailableException("İYS could not be reached: " + e.getClass().getSimpleName(), e);
        });
    }

    private static JsonNode answer(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return read(response);
        }
        JsonNode error = read(response).path("errors").path(0);
        String code = error.path("code").asText(null);
        if (status == 422) {
            throw new IysRefusedException(code, error.path("location").asText(null), error.path("message").asText(""));
        }
        if (status == 401 || status == 429 || status >= 500) {
            throw new IysUnavailableException("İYS answered " + status + (code == null ? "" : " " + code), null);
        }
        throw new IysCallException(status, "İYS refused the call (" + status + (code == null ? "" : " " + code) + ")");
    }

    private static JsonNode read(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            return NullNode.getInstance();
        }
    }

    private static String outcome(Throwable failure) {
        if (failure instanceof IysRefusedException) {
            return "refused";
        }
        return failure instanceof IysCallException ? "error" : "unavailable";
    }

    /** {@code text} with anything that looks like a phone number or an e-mail address masked. */
    static String masked(String text) {
        return text == null ? "" : text.replaceAll("\\+?\\d[\\d ]{8,}\\d", "…").replaceAll("[^\\s@]+@[^\\s@]+", "…");
    }

    /** When an İYS date is, for callers that compare it. */
    public static Instant instant(String date) {
        return IysConsent.instant(date);
    }
}
