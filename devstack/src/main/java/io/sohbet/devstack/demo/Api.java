package io.sohbet.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A small JSON client for one service's API with a bearer token: what an integrating team would write. */
public final class Api {

    /**
     * Decimals are read exactly as the services wrote them ({@code 0.4600} stays {@code 0.4600}, not the double 0.46),
     * so what the demo prints is the API's text, the same the console's pages show.
     */
    static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder().findAndAddModules()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    /**
     * HTTP/1.1: the JDK client's h2c upgrade against the services' Vert.x servers once left an e2e run waiting for a
     * body forever (a request timeout only bounds the wait for the headers).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The longest a whole exchange, body included, may take. */
    private static final Duration EXCHANGE = Duration.ofSeconds(60);

    /** An answer: status and JSON body (null when empty or not JSON). */
    public record Answer(int status, JsonNode body, String raw) {

        public Answer expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException("expected " + expected + " but got " + status + ": " + raw);
            }
            return this;
        }
    }

    private final String baseUrl;
    private final Supplier<String> token;

    public Api(String baseUrl, Supplier<String> token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** A POST of a text body of the given media type (a CSV file, say). */
    public Answer postText(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** Polls {@code path} until {@code done} holds; fails with the last answer after {@code timeout}. */
    public Answer await(String path, Predicate<Answer> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer last;
        do {
            last = get(path);
            if (done.test(last)) {
                return last;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("gave up waiting on " + path + " after " + timeout.toSeconds() + " s; last answer "
                + last.status() + " " + last.raw());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        String bearer = token == null ? null : token.get();
        return bearer == null ? builder : builder.header("Authorization", "Bearer " + bearer);
    }

    static String json(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.build();
            HttpResponse<String> response;
            try {
                response = HTTP.sendAsync(built, HttpResponse.BodyHandlers.ofString())
                        .get(EXCHANGE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(built.method() + " " + built.uri() + " took over " + EXCHANGE.toSeconds() + " s", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e.getCause());
            }
            JsonNode body = null;
            try {
                body = response.body().isBlank() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // kept raw
            }
            return new Answer(response.statusCode(), body, response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
