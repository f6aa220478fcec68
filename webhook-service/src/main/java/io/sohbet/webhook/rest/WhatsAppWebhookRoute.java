package io.sohbet.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.service.WebhookJson;
import io.sohbet.webhook.service.WhatsAppIngestion;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

/**
 * Serves {@code POST /webhooks/whatsapp} from a plain Vert.x route, ahead of Quarkus REST (which keeps the GET
 * handshake and the operation's OpenAPI declaration, {@link WhatsAppWebhookResource}): the hot path of ingestion,
 * without the REST layer's routing, parameter handling and writers per delivery (up to ~12 % of the event loop,
 * docs/benchmarks.md). The answers are those of the resource: 200 {@code {"events":n}} once Kafka acknowledged every
 * event, and for every refusal the same {@code application/problem+json} as {@link ProblemMapper} (and service-kit's
 * {@code CommonProblems} for anything unexpected) gives, with the same headers.
 */
@ApplicationScoped
public class WhatsAppWebhookRoute {

    static final String PATH = "/webhooks/whatsapp";
    static final String SIGNATURE = "X-Hub-Signature-256";
    // as Quarkus REST writes them (WhatsAppWebhookRouteTest compares): a produced JSON type gets its charset, the
    // problem's type set on the Response does not
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json;charset=UTF-8");
    private static final CharSequence PROBLEM = HttpHeaders.createOptimized(Problem.MEDIA_TYPE);

    private final WhatsAppIngestion ingestion;
    private final BodyLimit bodyLimit;

    public WhatsAppWebhookRoute(WhatsAppIngestion ingestion, BodyLimit bodyLimit) {
        this.ingestion = ingestion;
        this.bodyLimit = bodyLimit;
    }

    /** After the body limits (BodyLimit's and Quarkus's), before Quarkus REST's routes. */
    void install(@Observes Router router) {
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::receive);
    }

    void receive(RoutingContext ctx) {
        String signature = ctx.request().getHeader(SIGNATURE);
        // read here: a chunked body is refused as soon as it passes the limit
        bodyLimit.read(ctx).flatMap(body -> ingestion.ingest(body, signature)).subscribe().with(
                count -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end("{\"events\":" + count + "}"),
                failure -> refuse(ctx.response(), failure));
    }

    private static void refuse(HttpServerResponse response, Throwable failure) {
        if (response.ended() || response.closed()) {
            return;
        }
        Response problem = ProblemMapper.map(failure);
        response.setStatusCode(problem.getStatus()).putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM);
        String retryAfter = problem.getHeaderString(jakarta.ws.rs.core.HttpHeaders.RETRY_AFTER);
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        try {
            response.end(WebhookJson.mapper().writeValueAsString(problem.getEntity()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
