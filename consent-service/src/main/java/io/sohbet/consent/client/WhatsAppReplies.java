package io.sohbet.consent.client;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The WhatsApp Cloud API's send endpoint ({@code POST /{version}/{phone-number-id}/messages}, bearer token), for the
 * answers of self-service ({@code SelfServiceReplies}): the same protocol campaign-service speaks, from the same number.
 * A request that could not connect, or that Meta answered with 5xx or one of its temporary codes, was not accepted:
 * it is retried here (SmallRye Fault Tolerance) and then fails with {@link TransientFailure}; a refusal is an answer.
 * Neither the recipient, the message nor Meta's message id is logged or returned.
 */
@ApplicationScoped
public class WhatsAppReplies {

    /** Codes Meta documents as temporary ("retry with backoff"). */
    static final Set<Integer> TEMPORARY = Set.of(1, 2, 131000, 131016, 133004, 131057);

    /** What became of a send: accepted, or refused with Meta's HTTP status and Graph error code (null if none). */
    public record Outcome(boolean accepted, int httpStatus, Integer code) {
    }

    /** Not accepted, safe to send again later. */
    public static final class TransientFailure extends RuntimeException {

        public TransientFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final WebClient client;
    private final String path;
    private final String authorization;
    private final long timeoutMillis;

    public WhatsAppReplies(Vertx vertx, ConsentConfig config) {
        ConsentConfig.SelfService.WhatsApp whatsapp = config.selfService().whatsapp();
        URI base = whatsapp.baseUrl();
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80).setSsl(tls).setKeepAlive(true)
                .setConnectTimeout(3000).setUserAgent("sohbet-consent-service"));
        String prefix = base.getPath() == null || base.getPath().equals("/") ? "" : base.getPath().replaceAll("/$", "");
        this.path = prefix + "/" + whatsapp.apiVersion() + "/" + whatsapp.phoneNumberId().orElse("") + "/messages";
        this.authorization = "Bearer " + whatsapp.accessToken().orElse("");
        this.timeoutMillis = whatsapp.timeout().toMillis();
    }

    /**
     * Sends one message (the Cloud API body, recipient included). Retried up to three times with backoff when it was
     * not accepted for a transient reason; a request whose answer timed out is retried too (an answer may then arrive
     * twice, which is better than an erasure the person is never told about).
     */
    @Retry(maxRetries = 3, delay = 500, delayUnit = ChronoUnit.MILLIS, jitter = 200, retryOn = TransientFailure.class)
    public Uni<Outcome> send(JsonObject body) {
        return client.post(path).putHeader("Authorization", authorization).putHeader("Content-Type", "application/json")
                .timeout(timeoutMillis).sendBuffer(Buffer.buffer(body.encode()))
                .onFailure().transform(failure -> new TransientFailure("the Cloud API could not be reached: "
                        + failure.getClass().getSimpleName()))
                .map(WhatsAppReplies::outcome);
    }

    static Outcome outcome(HttpResponse<Buffer> response) {
        if (response.statusCode() / 100 == 2) {
            return new Outcome(true, response.statusCode(), null);
        }
        Integer code = null;
        try {
            JsonObject error = response.bodyAsJsonObject() == null ? null : response.bodyAsJsonObject().getJsonObject("error");
            code = error == null ? null : error.getInteger("code");
        } catch (RuntimeException notJson) {
            // no Graph error body
        }
        if (response.statusCode() >= 500 || (code != null && TEMPORARY.contains(code))) {
            throw new TransientFailure("the Cloud API answered " + response.statusCode() + (code == null ? "" : " code " + code));
        }
        return new Outcome(false, response.statusCode(), code);
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
