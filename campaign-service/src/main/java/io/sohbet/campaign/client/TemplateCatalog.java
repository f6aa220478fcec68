package io.sohbet.campaign.client;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.config.CampaignConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WhatsApp Business Account's message templates ({@code GET /{version}/{waba-id}/message_templates}, bearer
 * token, paged by cursor), cached for {@code whatsapp.template-cache-ttl}; a template webhook empties the cache. What
 * scheduling checks a campaign's templates against: name, language, status and the parameters each component takes.
 */
@ApplicationScoped
public class TemplateCatalog {

    private static final Logger LOG = Logger.getLogger(TemplateCatalog.class);
    private static final Pattern PARAMETER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final int MAX_PAGES = 50;

    /** A button of a template: its type ({@code URL}, {@code QUICK_REPLY}, {@code PHONE_NUMBER} …) and whether its URL takes a suffix. */
    public record Button(String type, boolean dynamic) {
    }

    /**
     * One translation of a template as Meta lists it: status ({@code APPROVED}, {@code PAUSED}, {@code DISABLED} …),
     * category ({@code MARKETING}, {@code UTILITY}, {@code AUTHENTICATION}), quality ({@code GREEN}, {@code YELLOW},
     * {@code RED}, {@code UNKNOWN}; null when Meta gave none), the header's format ({@code TEXT}, {@code IMAGE},
     * {@code VIDEO}, {@code DOCUMENT}, {@code LOCATION}; null without a header) and how many parameters the header and
     * body take, and the buttons in order.
     */
    public record WabaTemplate(String name, String language, String status, String category, String quality, String headerFormat,
            int headerParameters, int bodyParameters, List<Button> buttons) {

        /** Every parameter a message of this template gives: header, body and URL-button suffixes. */
        public int parameters() {
            return headerParameters + bodyParameters + (int) buttons.stream().filter(Button::dynamic).count();
        }
    }

    /** The Cloud API did not answer with the template list. */
    public static final class Unavailable extends RuntimeException {

        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private record Cached(Instant fetchedAt, Map<String, List<WabaTemplate>> byName) {
    }

    private final WebClient client;
    private final String path;
    private final String authorization;
    private final Duration ttl;
    private final long timeoutMillis;
    private volatile Cached cached;

    public TemplateCatalog(Vertx vertx, CampaignConfig config) {
        URI base = config.whatsapp().baseUrl();
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80).setSsl(tls).setKeepAlive(true)
                .setMaxPoolSize(4).setConnectTimeout(3000).setUserAgent("sohbet-campaign-service"));
        String prefix = base.getPath() == null || base.getPath().equals("/") ? "" : base.getPath().replaceAll("/$", "");
        this.path = prefix + "/" + config.whatsapp().apiVersion() + "/" + config.whatsapp().wabaId() + "/message_templates";
        this.authorization = "Bearer " + config.whatsapp().accessToken();
        this.ttl = config.whatsapp().templateCacheTtl();
        this.timeoutMillis = config.whatsapp().timeout().toMillis();
    }

    /** Template name → its translations, from the cache or fetched (all pages). */
    public Uni<Map<String, List<WabaTemplate>>> templates() {
        Cached c = cached;
        if (c != null && c.fetchedAt().plus(ttl).isAfter(Instant.now())) {
            return Uni.createFrom().item(c.byName());
        }
        Instant started = Instant.now();
        return page(null, new ArrayList<>(), 0).map(all -> {
            Map<String, List<WabaTemplate>> byName = new HashMap<>();
            all.forEach(t -> byName.computeIfAbsent(t.name(), n -> new ArrayList<>()).add(t));
            cached = new Cached(started, byName);
            return byName;
        });
    }

    /** Forgets the cached list (a template changed at Meta). */
    public void invalidate() {
        cached = null;
    }

    private Uni<List<WabaTemplate>> page(String after, List<WabaTemplate> into, int pages) {
        String uri = path + "?fields=name,language,status,category,quality_score,components&limit=100"
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        return client.get(uri).putHeader("Authorization", authorization).timeout(timeoutMillis).send()
                .onFailure().transform(e -> new Unavailable("the Cloud API's template list cannot be read (" + e.getClass().getSimpleName() + ")"))
                .flatMap(response -> {
                    JsonObject body = json(response);
                    if (response.statusCode() != 200 || body == null) {
                        LOG.warnf("the Cloud API answered %d to the template list", response.statusCode());
                        return Uni.createFrom().failure(new Unavailable("the Cloud API answered " + response.statusCode()
                                + " to the template list"));
                    }
                    for (Object item : body.getJsonArray("data", new JsonArray())) {
                        if (item instanceof JsonObject t) {
                            into.add(parse(t));
                        }
                    }
                    JsonObject paging = body.getJsonObject("paging");
                    String next = paging == null || paging.getString("next") == null ? null
                            : paging.getJsonObject("cursors", new JsonObject()).getString("after");
                    if (next == null || pages + 1 >= MAX_PAGES) {
                        return Uni.createFrom().item(into);
                    }
                    return page(next, into, pages + 1);
                });
    }

    static WabaTemplate parse(JsonObject t) {
        String headerFormat = null;
        int headerParameters = 0;
        int bodyParameters = 0;
        List<Button> buttons = new ArrayList<>();
        for (Object o : t.getJsonArray("components", new JsonArray())) {
            if (!(o instanceof JsonObject c)) {
                continue;
            }
            switch (c.getString("type", "").toUpperCase(java.util.Locale.ROOT)) {
                case "HEADER" -> {
                    headerFormat = c.getString("format", "TEXT").toUpperCase(java.util.Locale.ROOT);
                    headerParameters = headerFormat.equals("TEXT") ? parameters(c.getString("text")) : 1;
                }
                case "BODY" -> bodyParameters = parameters(c.getString("text"));
                case "BUTTONS" -> {
                    for (Object b : c.getJsonArray("buttons", new JsonArray())) {
                        if (b instanceof JsonObject button) {
                            buttons.add(new Button(button.getString("type", "").toUpperCase(java.util.Locale.ROOT),
                                    parameters(button.getString("url")) > 0));
                        }
                    }
                }
                default -> { }
            }
        }
        Object score = t.getValue("quality_score");
        String quality = score instanceof JsonObject q ? q.getString("score") : score instanceof String s ? s : null;
        return new WabaTemplate(t.getString("name"), t.getString("language"), t.getString("status"), t.getString("category"), quality,
                headerFormat, headerParameters, bodyParameters, List.copyOf(buttons));
    }

    /** Distinct placeholders ({@code {{1}}}, or named {@code {{first_name}}}) in a component's text. */
    static int parameters(String text) {
        if (text == null) {
            return 0;
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PARAMETER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.size();
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
