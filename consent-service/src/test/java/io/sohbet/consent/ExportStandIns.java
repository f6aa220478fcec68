package io.sohbet.consent;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stand-ins for the other services' export endpoints ({@code GET /internal/subjects/{id}/export}), on one local
 * HTTP server: metrics and segment answer with a small document; campaign answers 503 for subjects whose id starts
 * with {@code down}, so tests can see a failed part.
 */
public class ExportStandIns implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String service : new String[] {"metrics", "segment", "campaign"}) {
            server.createContext("/" + service + "/internal/subjects/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String subject = path.replaceAll(".*/internal/subjects/([^/]+)/export$", "$1");
                int status = service.equals("campaign") && subject.startsWith("down") ? 503 : 200;
                byte[] body = ("{\"service\":\"" + service + "-service\",\"subjectId\":\"" + subject + "\",\"rows\":[{\"n\":1}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
        }
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("sohbet.consent.export-endpoints.metrics-service", base + "/metrics",
                "sohbet.consent.export-endpoints.segment-service", base + "/segment",
                "sohbet.consent.export-endpoints.campaign-service", base + "/campaign",
                "sohbet.consent.access-poll", "1s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
