package io.sohbet.webhook.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
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
import org.eclipse.microprofile.config.ConfigProvider;

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
    static final String PERMISSIONS = "quarkus.http.auth.permission.";
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

    /**
     * Ahead of Quarkus's authentication and authorization filters ({@link #order}), after the access log, the response
     * headers and CORS. The path is public (a delivery proves itself by its signature, never by a token), and those
     * filters, with the OIDC handlers and REST's path-template lookup behind them, cost about 6 % of a delivery's CPU
     * (docs/benchmarks.md). The declared-length check of {@link BodyLimit}, whose place is after them, is made here.
     */
    void install(@Observes Router router) {
        router.post(PATH).order(order(ConfigProvider.getConfig().getPropertyNames())).handler(this::receive);
    }

    /**
     * Before authentication, unless HTTP permission policies are configured ({@code quarkus.http.auth.permission.*},
     * none by default): then after authorization, as Quarkus REST's routes, so that a policy a platform team set on
     * this path is applied. Policies declared in code (an {@code HttpSecurityPolicy} bean, {@code @Observes HttpSecurity})
     * are not looked for: this service has none, and one added must move this route after authorization too.
     */
    static int order(Iterable<String> configNames) {
        for (String name : configNames) {
            // also as an environment variable's name (QUARKUS_HTTP_AUTH_PERMISSION_…)
            if (name.toLowerCase(java.util.Locale.ROOT).replace('_', '.').startsWith(PERMISSIONS)) {
                return RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
            }
        }
        return -(SecurityHandlerPriorities.AUTHENTICATION + 1);
    }

    void receive(RoutingContext ctx) {
        if (bodyLimit.refusedByDeclaredLength(ctx)) {
            return;
        }
        String signature = ctx.request().getHeader(SIGNATURE);
        // read here: a chunked body is refused as soon as it passes the limit; Vert.x futures throughout (a failure
        // thrown by ingest fails the composition), no Mutiny operators per delivery
        bodyLimit.body(ctx).compose(body -> ingestion.ingest(body, signature)).onComplete(stored -> {
            if (stored.succeeded()) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end("{\"events\":" + stored.result() + "}");
            } else {
                refuse(ctx.response(), stored.cause());
            }
        });
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
