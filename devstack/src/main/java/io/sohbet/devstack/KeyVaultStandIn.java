package io.sohbet.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for consent-service's key vault ({@code POST /internal/subject-keys}, {@code /find} and {@code /erasures}) and its identifier
 * links ({@code POST /internal/identifiers/resolve}, from {@link #LINKS}) in the services' tests, on a real
 * HTTP port. Keys are derived from the subject id so that tests can decrypt what was published. Like the real vault,
 * get-or-create refuses a key to a subject of {@link #ERASED} without one when the request says its data happened at or
 * before the erasure ({@code happenedAt}), and names erased subjects in {@code erased}.
 */
public class KeyVaultStandIn implements QuarkusTestResourceLifecycleManager {

    public static final AtomicBoolean AVAILABLE = new AtomicBoolean(true);
    public static final AtomicInteger CALLS = new AtomicInteger();
    /** Calls that could have created a key ({@code POST /internal/subject-keys}), as opposed to {@code /find}. */
    public static final AtomicInteger CREATING_CALLS = new AtomicInteger();
    /**
     * Subjects whose key was destroyed, and when: {@code /find} leaves their key out and says when they were erased,
     * as the real vault does after an erasure.
     */
    public static final Map<String, Instant> ERASED = new ConcurrentHashMap<>();
    /**
     * Subjects of {@link #ERASED} that got a key again from a get-or-create (they wrote after their erasure, or a caller
     * sent no time): {@code /find} gives them their key again, as the real vault does.
     */
    public static final Set<String> BACK = ConcurrentHashMap.newKeySet();
    /**
     * consent-service's identifier links ({@code POST /internal/identifiers/resolve}): keyed hash → subject id, as if
     * recorded from an earlier webhook; a hash not here is answered as unlinked.
     */
    public static final Map<String, String> LINKS = new ConcurrentHashMap<>();
    /** Whether {@code /internal/identifiers/resolve} answers (503 when false), apart from the key vault. */
    public static final AtomicBoolean LINKS_AVAILABLE = new AtomicBoolean(true);
    /** Calls to {@code /internal/identifiers/resolve}. */
    public static final AtomicInteger LINK_CALLS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    public static byte[] keyOf(String subjectId) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("test-key:" + subjectId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/subject-keys", exchange -> {
            CALLS.incrementAndGet();
            if (!AVAILABLE.get()) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            boolean erasures = exchange.getRequestURI().getPath().endsWith("/erasures");
            boolean find = erasures || exchange.getRequestURI().getPath().endsWith("/find");
            if (!find) {
                CREATING_CALLS.incrementAndGet();
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            ObjectNode keys = JSON.createObjectNode();
            ObjectNode erased = JSON.createObjectNode();
            JsonNode times = request.path("happenedAt");
            request.path("subjectIds").forEach(s -> {
                String subject = s.asText();
                Instant erasedAt = ERASED.get(subject);
                if (erasedAt != null) {
                    erased.put(subject, erasedAt.toString());
                }
                // the vault's rule: no key for an erased subject without one, asked for data from at or before the erasure
                boolean hasKey = erasedAt == null || BACK.contains(subject);
                Instant happenedAt = times.hasNonNull(subject) ? Instant.parse(times.get(subject).asText()) : null;
                if (!hasKey && !find && (happenedAt == null || happenedAt.isAfter(erasedAt))) {
                    BACK.add(subject);
                    hasKey = true;
                }
                if (hasKey) {
                    keys.put(subject, Base64.getEncoder().encodeToString(keyOf(subject)));
                }
            });
            ObjectNode answer = JSON.createObjectNode();
            if (erasures) { // who has a key, never the key
                com.fasterxml.jackson.databind.node.ArrayNode keyed = answer.putArray("keyed");
                keys.fieldNames().forEachRemaining(keyed::add);
            } else {
                answer.set("keys", keys);
            }
            answer.set("erased", erased);
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/internal/identifiers/resolve", exchange -> {
            LINK_CALLS.incrementAndGet();
            if (!LINKS_AVAILABLE.get()) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            ObjectNode subjects = JSON.createObjectNode();
            JSON.readTree(exchange.getRequestBody()).path("hashes").forEach(h -> {
                String subject = LINKS.get(h.asText());
                if (subject != null) {
                    subjects.put(h.asText(), subject);
                }
            });
            ObjectNode answer = JSON.createObjectNode();
            answer.set("subjects", subjects);
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return Map.of("quarkus.rest-client.consent.url", "http://localhost:" + server.getAddress().getPort(),
                "quarkus.oidc-client.enabled", "false");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
