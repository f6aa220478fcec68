package io.sohbet.campaign.client;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.events.MessageIds;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.ConnectException;
import java.net.URI;
import java.util.Set;

/**
 * The WhatsApp Cloud API send endpoint ({@code POST /{version}/{phone-number-id}/messages}, bearer token). A request
 * that could not connect, or that Meta answered with 5xx or one of its temporary codes, fails with
 * {@link TransientFailure}: it was not accepted, so sending it again cannot duplicate a message, and the
 * {@code Dispatcher} retries it at a new slot of the shared rate ({@code sohbet.campaign.whatsapp.retries}) — never
 * here, where a retry would bypass the rate all replicas share. A request whose answer did not come back in time is
 * not retried: it may have been accepted, and a campaign message goes out at most once.
 *
 * <p>The message id of an accepted send ({@code wamid.…}, base64 around the recipient's number) never leaves this
 * class in clear: {@link Accepted} carries its keyed hash ({@link MessageIds}), which is what webhook-service gives the
 * message's statuses and replies.
 */
@ApplicationScoped
public class CloudApi {

    /** Codes Meta documents as temporary ("retry with backoff"). */
    static final Set<Integer> TEMPORARY = Set.of(1, 2, 131000, 131016, 133004, 131057);

    /** What became of a send request. */
    public sealed interface Outcome {
    }

    /** Accepted by Meta; {@code wamid} is the keyed hash of the message id Meta answered ({@code mid_…}). */
    public record Accepted(String wamid) implements Outcome {
    }

    /** Refused with a Graph error (code null when the body was not one). */
    public record Refused(int httpStatus, Integer code, String title, String details) implements Outcome {
    }

    /** The request went out and no answer came: Meta may or may not have accepted it. */
    public record Unknown(String reason) implements Outcome {
    }

    /** Not accepted, safe to send again: could not connect, 5xx, or a temporary Graph error. */
    public static final class TransientFailure extends RuntimeException {

        private final Refused refused;

        public TransientFailure(String message, Refused refused) {
            super(message, null, false, false);
            this.refused = refused;
        }

        /** Meta's answer, or null when there was none (no connection). */
        public Refused refused() {
            return refused;
        }
    }

    private final WebClient client;
    private final String path;
    private final String marketingPath;
    private final String authorization;
    private final long timeoutMillis;
    private final URI base;
    private final MessageIds messageIds;

    public CloudApi(Vertx vertx, CampaignConfig config) {
        this.messageIds = MessageIds.withKey(config.messageIdKey());
        this.base = config.whatsapp().baseUrl();
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80).setSsl(tls).setKeepAlive(true)
                // given up before a server's idle timeout (30 s and more): a connection reused as the server closes it
                // fails the request with an unknown outcome
                .setKeepAliveTimeout(20)
                .setMaxPoolSize(Math.max(1, config.whatsapp().maxConnections())).setConnectTimeout(3000).setUserAgent("sohbet-campaign-service"));
        String prefix = base.getPath() == null || base.getPath().equals("/") ? "" : base.getPath().replaceAll("/$", "");
        this.path = prefix + "/" + config.whatsapp().apiVersion() + "/" + config.whatsapp().phoneNumberId() + "/messages";
        this.marketingPath = prefix + "/" + config.whatsapp().apiVersion() + "/" + config.whatsapp().phoneNumberId() + "/marketing_messages";
        this.authorization = "Bearer " + config.whatsapp().accessToken();
        this.timeoutMillis = config.whatsapp().timeout().toMillis();
    }

    /** Sends one message (the Cloud API body), once, through {@code /messages}. */
    public Uni<Outcome> send(JsonObject body) {
        return send(body, false);
    }

    /**
     * Sends one message once, through {@code /messages} or, with {@code marketingMessages}, Meta's Marketing Messages API
     * ({@code /marketing_messages}: same body, marketing templates only). Both answer alike (message id, Graph errors).
     */
    public Uni<Outcome> send(JsonObject body, boolean marketingMessages) {
        return client.post(marketingMessages ? marketingPath : path).putHeader("Authorization", authorization).putHeader("Content-Type", "application/json")
                .timeout(timeoutMillis).sendBuffer(Buffer.buffer(body.encode()))
                .onItemOrFailure().transformToUni((response, failure) -> {
                    if (failure instanceof ConnectException) {
                        return Uni.createFrom().failure(new TransientFailure("cannot connect to the Cloud API", null));
                    }
                    if (failure != null) {
                        return Uni.createFrom().item(new Unknown(failure.getClass().getSimpleName()));
                    }
                    return Uni.createFrom().item(() -> hashed(outcome(response)));
                });
    }

    private Outcome hashed(Outcome outcome) {
        return outcome instanceof Accepted accepted ? new Accepted(messageIds.of(accepted.wamid())) : outcome;
    }

    static Outcome outcome(HttpResponse<Buffer> response) {
        JsonObject json = json(response);
        if (response.statusCode() / 100 == 2) {
            String wamid = json == null ? null : json.getJsonArray("messages", new io.vertx.core.json.JsonArray()).stream()
                    .map(m -> ((JsonObject) m).getString("id")).findFirst().orElse(null);
            if (wamid == null) {
                return new Unknown("2xx without a message id");
            }
            return new Accepted(wamid);
        }
        JsonObject error = json == null ? null : json.getJsonObject("error");
        Integer code = error == null ? null : error.getInteger("code");
        String title = error == null ? "HTTP " + response.statusCode() : error.getString("message", "HTTP " + response.statusCode());
        String details = error == null ? null : error.getJsonObject("error_data", new JsonObject()).getString("details");
        Refused refused = new Refused(response.statusCode(), code, title, details);
        if (response.statusCode() >= 500 || (code != null && TEMPORARY.contains(code))) {
            throw new TransientFailure("the Cloud API answered " + response.statusCode(), refused);
        }
        return refused;
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        try {
            return response.bodyAsJsonObject();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
