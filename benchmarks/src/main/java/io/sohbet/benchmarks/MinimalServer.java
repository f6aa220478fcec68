package io.sohbet.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** The reference: a bare Vert.x server that verifies the signature, parses the JSON and answers 200, nothing else. */
final class MinimalServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();

    MinimalServer(String secret) throws Exception {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                byte[] expected = mac.doFinal(body.getBytes());
                String header = request.getHeader("X-Hub-Signature-256");
                byte[] claimed = HexFormat.of().parseHex(header.substring(7));
                if (!MessageDigest.isEqual(expected, claimed)) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                json.readTree(body.getBytes());
                request.response().setStatusCode(200).end("{}");
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
            }
        })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
