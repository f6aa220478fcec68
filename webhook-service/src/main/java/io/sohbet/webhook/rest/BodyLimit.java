package io.sohbet.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.mutiny.Uni;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.config.WebhookConfig;
import io.sohbet.webhook.service.PayloadTooLargeException;
import io.sohbet.webhook.service.WebhookJson;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The body limit of the public webhooks ({@code sohbet.webhook.max-body-size}, which {@code quarkus.http.limits.max-body-size}
 * follows; the start fails if someone set them apart). A declared {@code Content-Length} over it is refused before
 * anything is read; a chunked or unsized body is read by {@link #read} chunk by chunk and refused as soon as it passes
 * the limit: the request is paused (nothing beyond the limit is buffered, TCP holds the sender back) and answered 413
 * {@code application/problem+json}; then the rest is read and discarded up to twice the limit in all (so that a client
 * that reads only after sending sees the 413) and the connection is closed.
 */
@Startup // two disagreeing limits stop the start, not the first webhook
@ApplicationScoped
public class BodyLimit {

    private static final java.time.Duration DRAIN_FOR = java.time.Duration.ofSeconds(10);

    private final long limit;

    public BodyLimit(WebhookConfig config) {
        this.limit = config.maxBodySize().asLongValue();
        requireAgreement(ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .asLongValue(), limit);
    }

    /** Fails when Quarkus's limit was set apart from this service's: one of them would answer what the other allows. */
    static void requireAgreement(long http, long webhook) {
        if (http != webhook) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + http + " bytes) must equal "
                    + "sohbet.webhook.max-body-size (" + webhook + " bytes): set only the latter (SOHBET_WEBHOOK_MAX_BODY_SIZE)");
        }
    }

    /** Before Quarkus's own limit (which answers an empty 413), so that the answer is a problem. */
    void declaredLength(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            if (!refusedByDeclaredLength(ctx)) {
                ctx.next();
            }
        });
    }

    /**
     * Answers 400 (not a number) or 413 (over the limit) when the declared {@code Content-Length} says so, before anything
     * is read; {@code false} when the request may go on. Also called by a route that runs ahead of this check's own
     * place ({@link WhatsAppWebhookRoute}).
     */
    boolean refusedByDeclaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return false;
        }
        long declared;
        try {
            declared = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            declared = -1;
        }
        if (declared >= 0 && declared <= limit) {
            return false;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).setStatusCode(declared < 0 ? 400 : 413)
                .end(declared < 0 ? problem(400, "Invalid request", "Content-Length is not a number")
                        : problem(413, "Payload too large", tooLarge()));
        drainThenClose(ctx, 0);
        return true;
    }

    /**
     * The body of {@code request}, read as it streams in; fails with {@link PayloadTooLargeException} as soon as it
     * is larger than the limit, after pausing the request and arranging for its connection to close once answered.
     */
    public Uni<byte[]> read(RoutingContext ctx) {
        return Uni.createFrom().emitter(emitter -> body(ctx).onComplete(read -> {
            if (read.succeeded()) {
                emitter.complete(read.result());
            } else {
                emitter.fail(read.cause());
            }
        }));
    }

    /**
     * As {@link #read}, as a Vert.x future (completed on the request's event loop): reading starts at once. A body that
     * comes in one piece (most: Meta's deliveries are a few KB) is taken as it came, without being copied twice more
     * (into a joined buffer, then out of it; ~6 KB of the ~13 KB allocated per delivery, docs/benchmarks.md).
     */
    public Future<byte[]> body(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Promise<byte[]> read = Promise.promise();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        int expected = length == null ? 8192 : (int) Math.min(limit, Long.parseLong(length.strip()));
        Pieces body = new Pieces();
        request.handler(chunk -> {
            if (body.refused) {
                return;
            }
            if ((long) body.length + chunk.length() > limit) {
                body.refused = true;
                request.pause(); // nothing more until answered: the rest waits in the sender's socket
                request.response().putHeader(HttpHeaders.CONNECTION, "close");
                long bytes = body.length + (long) chunk.length();
                ctx.addEndHandler(v -> drainThenClose(ctx, bytes));
                read.tryFail(new PayloadTooLargeException(limit));
                return;
            }
            body.add(chunk, expected);
        });
        request.exceptionHandler(failure -> {
            if (!body.refused) {
                body.refused = true;
                read.tryFail(failure);
            }
        });
        request.endHandler(v -> {
            if (!body.refused) {
                read.tryComplete(body.bytes());
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        request.resume();
        return read.future();
    }

    /** The pieces of a body read so far: the first kept as it is until a second comes, then joined. */
    private static final class Pieces {
        private Buffer first;
        private Buffer joined;
        private int length;
        private boolean refused;

        void add(Buffer chunk, int expected) {
            if (first == null && joined == null && exact(chunk)) {
                first = chunk; // a fresh array of its own (Vert.x copies Netty's pooled buffers): kept, not copied
            } else {
                if (joined == null) {
                    joined = Buffer.buffer(Math.max(expected, (first == null ? 0 : first.length()) + chunk.length()));
                    if (first != null) {
                        joined.appendBuffer(first);
                        first = null;
                    }
                }
                joined.appendBuffer(chunk); // copied at once, as it came: whatever holds it may reuse it afterwards
            }
            length += chunk.length();
        }

        byte[] bytes() {
            if (joined != null) {
                return joined.getBytes();
            }
            return first == null ? new byte[0] : whole(first);
        }
    }

    /**
     * Whether {@code piece} is exactly a heap array of its own, which nobody else holds or writes: a chunk Vert.x copied
     * out of Netty's pooled buffers. A slice of a larger array (a pool's, anyone's) is not.
     */
    static boolean exact(Buffer piece) {
        ByteBuf bytes = piece.getByteBuf(); // a duplicate: the same array, indexes of its own
        return bytes.hasArray() && bytes.arrayOffset() == 0 && bytes.readerIndex() == 0
                && bytes.readableBytes() == bytes.array().length;
    }

    /** The bytes of {@code piece}: its own array when it is {@link #exact}, else a copy. */
    static byte[] whole(Buffer piece) {
        return exact(piece) ? piece.getByteBuf().array() : piece.getBytes();
    }

    /**
     * After a refusal: most clients read the answer only once they have sent their body, so the rest of it is read and
     * thrown away (never kept) until the request has brought twice the limit in all, or for at most 10 s; then the
     * connection is closed. A client that sends a little too much gets its 413; an endless upload is cut off.
     */
    private void drainThenClose(RoutingContext ctx, long alreadyRead) {
        HttpServerRequest request = ctx.request();
        long[] seen = {alreadyRead};
        long timer = ctx.vertx().setTimer(DRAIN_FOR.toMillis(), t -> request.connection().close());
        Runnable close = () -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        };
        request.handler(chunk -> {
            seen[0] += chunk.length();
            if (seen[0] > 2 * limit) {
                close.run();
            }
        });
        request.endHandler(v -> close.run());
        request.exceptionHandler(failure -> close.run());
        request.resume();
    }

    private String tooLarge() {
        return "the body is larger than " + limit + " bytes";
    }

    private static String problem(int status, String title, String detail) {
        try {
            return WebhookJson.mapper().writeValueAsString(new Problem("https://sohbet.io/problems/"
                    + title.toLowerCase().replace(' ', '-'), title, status, detail, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
