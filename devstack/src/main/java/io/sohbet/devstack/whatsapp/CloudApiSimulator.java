package io.sohbet.devstack.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for Meta's WhatsApp Cloud API in tests and the local run: it speaks the send protocol
 * ({@code POST /{version}/{phone-number-id}/messages} with a bearer token, Graph error bodies, throughput limit
 * 130429) and plays the customers: every accepted message gets {@code sent}, {@code delivered} and, if scripted,
 * {@code read} or {@code failed} status webhooks, and customers can reply, tap buttons or stop marketing. Webhooks are
 * signed like Meta's ({@code X-Hub-Signature-256} over the exact bytes) and retried with backoff until answered 200.
 * It also serves the WhatsApp Business Account's message templates ({@code GET /{version}/{waba-id}/message_templates},
 * paged like the Graph API) with the demo's templates registered ({@link #DEMO_TEMPLATES}); tests register more and
 * change their status, which sends Meta's {@code message_template_status_update} webhook; a message with a registered
 * template that is not {@code APPROVED} is refused as Meta refuses it (132015 paused, 132016 disabled, 132001).
 *
 * <p>Customers may be username-only: a message addressed with {@code "recipient": "<BSUID>"} (instead of {@code to})
 * reaches them, and its statuses carry {@code recipient_user_id} and no phone number; an authentication template to a
 * BSUID is refused with 131062; a BSUID put in {@code to} is accepted and silently dropped, as Meta does (no status
 * ever comes; {@link #droppedBsuidsInTo()}). The Marketing Messages API ({@code POST /{version}/{phone-number-id}/
 * marketing_messages}) takes marketing templates only, and its statuses are priced {@code marketing_lite}.
 * See docs/whatsapp-cloud-api.md §4–§9 and §12.4–§12.5 for the shapes it reproduces.
 */
public final class CloudApiSimulator implements AutoCloseable {

    /** How the simulator is set up. {@code webhookUrl} may be null (no webhooks); {@code maxPerSecond} ≤ 0: no limit. */
    public record Config(String accessToken, String appSecret, String wabaId, String phoneNumberId, String displayNumber,
            URI webhookUrl, int maxPerSecond) {

        public static Config local(URI webhookUrl) {
            return new Config("local-access-token", "local-app-secret", "102290129340398", "106540352242922", "908505551234",
                    webhookUrl, 80);
        }

        public Config withWebhookUrl(URI url) {
            return new Config(accessToken, appSecret, wabaId, phoneNumberId, displayNumber, url, maxPerSecond);
        }
    }

    /** What happens to a message sent to a recipient. */
    public sealed interface Outcome {
    }

    /** Delivered; read after {@code readAfter} (null: never read). */
    public record Deliver(Duration readAfter) implements Outcome {
    }

    /** Accepted, then a {@code failed} status with this Cloud API error (e.g. 131049, 131026). */
    public record Fail(int code, String title, String details) implements Outcome {
    }

    /** Refused synchronously with this Graph error (HTTP 400), e.g. 131026 for a number not on WhatsApp. */
    public record Reject(int code, String message, String details) implements Outcome {
    }

    /** Answered 503 with Graph error 131016 (service unavailable): nothing accepted, the sender should retry. */
    public record Unavailable() implements Outcome {
    }

    /** Accepted (the message goes out) but the answer is held back for {@code delay}: the sender cannot know. */
    public record LostAnswer(Duration delay) implements Outcome {
    }

    /**
     * Played as a message of the past: its {@code sent} and {@code delivered} statuses carry the time {@code ago} before
     * now, and its {@code read} (none when {@code readHour} is null: never read, or read receipts off) the first time
     * after that when it is {@code readHour} o'clock in the simulator's {@link #zone()}, at a minute drawn from the wamid.
     * All of them are posted at once. {@code ago} must be at least a day, so that the read is in the past too.
     */
    public record History(Duration ago, Integer readHour) implements Outcome {

        public History {
            if (ago.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("a history message is at least a day old: " + ago);
            }
            if (readHour != null && (readHour < 0 || readHour > 23)) {
                throw new IllegalArgumentException("readHour must be 0..23: " + readHour);
            }
        }

        /** When the message was read: the first {@code readHour}:mm after it was sent, in {@code zone}. */
        Instant readAt(Instant sentAt, ZoneId zone, String wamid) {
            ZonedDateTime sent = sentAt.atZone(zone);
            ZonedDateTime read = sent.withHour(readHour).withMinute(Math.floorMod(wamid.hashCode(), 60)).withSecond(17).withNano(0);
            if (!read.isAfter(sent)) {
                read = read.plusDays(1);
            }
            return read.toInstant();
        }
    }

    /**
     * A message the simulator accepted: {@code to} is the recipient's phone number (digits) or, for a message addressed
     * with {@code recipient}, their BSUID; {@code api} is {@code messages} or {@code marketing_messages}.
     */
    public record Sent(String wamid, String to, String type, JsonNode body, Instant at, String api) {

        public Sent(String wamid, String to, String type, JsonNode body, Instant at) {
            this(wamid, to, type, body, at, "messages");
        }
    }

    /**
     * A message template of the WhatsApp Business Account, as the Graph API lists it: {@code components} is Meta's
     * array ({@code HEADER}, {@code BODY} with {@code {{1}}} placeholders, {@code FOOTER}, {@code BUTTONS}).
     */
    public record Template(String id, String name, String language, String status, String category, JsonNode components,
            String quality) {

        public Template(String id, String name, String language, String status, String category, JsonNode components) {
            this(id, name, language, status, category, components, "UNKNOWN");
        }

        Template withStatus(String newStatus) {
            return new Template(id, name, language, newStatus, category, components, quality);
        }

        Template withCategory(String newCategory) {
            return new Template(id, name, language, status, newCategory, components, quality);
        }

        Template withQuality(String newQuality) {
            return new Template(id, name, language, status, category, components, newQuality);
        }
    }

    /**
     * The templates the demo and the end-to-end test send (Turkish, marketing, approved): a body with one parameter
     * (the first name), a URL button whose suffix is the tracked-link token, and two quick replies (the CSAT question,
     * then stop these messages).
     */
    public static final List<String> DEMO_TEMPLATES = List.of("kis_indirimi_a", "kis_indirimi_b", "kis_indirimi_hatirlatma");

    private static final Pattern SEND_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([^/]+)/(messages|marketing_messages)$");
    /** A business-scoped user id: {@code CC.<id>} or a parent {@code CC.ENT.<id>} (§12.5). */
    static final Pattern BSUID = Pattern.compile("^[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}$");
    private static final Pattern TEMPLATES_PATH = Pattern.compile("^/(v\\d+\\.\\d+)/([^/]+)/message_templates$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Connections waiting for a sender's next request at once; a sender at 1,000/s may keep hundreds. */
    static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    static {
        // Meta keeps the connections a sender opens. The JDK's server closes every one beyond 200 idle right after its
        // answer, and a sender that reuses it at that moment sees its request fail on a closed connection: an unknown
        // outcome, which Meta would not cause. Read once per JVM, by the first server created (set it before any other
        // com.sun.net.httpserver server starts in the same JVM).
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "4096");
        }
    }

    private final Config config;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "cloud-api-simulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, java.util.Deque<Outcome>> scripts = new ConcurrentHashMap<>();
    private final List<Sent> sent = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final AtomicInteger webhooksDelivered = new AtomicInteger();
    private final AtomicInteger webhooksRetried = new AtomicInteger();
    /** The zone of the customers' habitual hours ({@link History}). */
    private volatile ZoneId zone = ZoneId.of("Europe/Istanbul");
    /** Told of every accepted message: a {@link Crowd} plays the customers who have no script. */
    private final List<java.util.function.Consumer<Sent>> acceptedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The latest webhooks sent, byte for byte, so that a test can send them again as Meta's retries do. */
    private final java.util.Deque<byte[]> webhookLog = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static final int WEBHOOK_LOG_SIZE = 10_000;
    /** wa_id digits → the customer's BSUID and username, and whether WhatsApp withholds their number now. */
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    /** BSUID → the wa_id digits of the customer it names. */
    private final Map<String, String> phoneOfBsuid = new ConcurrentHashMap<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger droppedBsuidsInTo = new AtomicInteger();
    private volatile boolean marketingMessagesTermsAccepted = true;
    private volatile Outcome defaultOutcome = new Deliver(Duration.ofMillis(200));
    private volatile int maxPerSecond;
    private long windowSecond;
    private int windowCount;
    /** name:language → template, in registration order. */
    private final Map<String, Template> templates = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final java.util.concurrent.atomic.AtomicLong templateIds = new java.util.concurrent.atomic.AtomicLong(1_689_556_908_129_000L);

    private CloudApiSimulator(Config config, int port) throws IOException {
        this.config = config;
        this.maxPerSecond = config.maxPerSecond();
        for (String name : DEMO_TEMPLATES) {
            registerTemplate(name, "tr", "MARKETING", demoComponents(name.endsWith("_hatirlatma")
                    ? "Merhaba {{1}}, kış indiriminin bitmesine az kaldı!" : "Merhaba {{1}}, kış indirimi başladı!"));
        }
        // a backlog for the bursts of new connections of a sender opening its pool (the default, 50, resets some)
        this.server = HttpServer.create(new InetSocketAddress("localhost", port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "cloud-api-simulator-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Starts on {@code port} (0: any free port). */
    public static CloudApiSimulator start(Config config, int port) {
        try {
            return new CloudApiSimulator(config, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Cloud API simulator", e);
        }
    }

    /** The base URL senders use instead of {@code https://graph.facebook.com}. */
    public URI baseUrl() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    public Config config() {
        return config;
    }

    /**
     * What happens to messages for {@code waId} (digits, no '+'): the outcomes in turn, one per request, the last one
     * for every request after.
     */
    public void script(String waId, Outcome... outcomes) {
        scripts.put(key(waId), new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(outcomes)));
    }

    /** Whether the business portfolio accepted the Marketing Messages API's terms (true unless a test says otherwise). */
    public void marketingMessagesTermsAccepted(boolean accepted) {
        this.marketingMessagesTermsAccepted = accepted;
    }

    /** Messages that put a BSUID in {@code to}: accepted and silently dropped, as Meta does. */
    public int droppedBsuidsInTo() {
        return droppedBsuidsInTo.get();
    }

    /** The next outcome for a recipient (phone digits or BSUID); a customer's BSUID follows the script of their number. */
    private Outcome next(String waId) {
        java.util.Deque<Outcome> queue = scripts.get(waId);
        if (queue == null && phoneOfBsuid.containsKey(waId)) {
            queue = scripts.get(phoneOfBsuid.get(waId));
        }
        if (queue == null) {
            return defaultOutcome;
        }
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    /**
     * The throughput limit from now on (messages per second; ≤ 0: none), as when Meta lowers a number's throughput: over
     * it requests get 130429.
     */
    public void maxPerSecond(int limit) {
        this.maxPerSecond = limit;
    }

    /** Registers (or replaces) an approved template; {@code components} is Meta's array. Returns its id. */
    public String registerTemplate(String name, String language, String category, JsonNode components) {
        String key = name + ":" + language;
        Template previous = templates.get(key);
        String id = previous != null ? previous.id() : String.valueOf(templateIds.incrementAndGet());
        templates.put(key, new Template(id, name, language, "APPROVED", category, components.deepCopy()));
        return id;
    }

    /** Registers an approved template with a body of {@code bodyParameters} parameters and nothing else. */
    public String registerTemplate(String name, String language, int bodyParameters) {
        StringBuilder text = new StringBuilder("Merhaba");
        for (int i = 1; i <= bodyParameters; i++) {
            text.append(" {{").append(i).append("}}");
        }
        ArrayNode components = JSON.createArrayNode();
        components.addObject().put("type", "BODY").put("text", text.toString());
        return registerTemplate(name, language, "MARKETING", components);
    }

    /** The templates as listed now. */
    public List<Template> templates() {
        synchronized (templates) {
            return List.copyOf(templates.values());
        }
    }

    /**
     * Meta changes a template's status ({@code APPROVED}, {@code PAUSED}, {@code DISABLED}, {@code REJECTED} …): the
     * list shows it, and a {@code message_template_status_update} webhook goes out.
     */
    public void templateStatus(String name, String language, String status, String reason) {
        Template t = templates.computeIfPresent(name + ":" + language, (k, v) -> v.withStatus(status));
        if (t == null) {
            throw new IllegalArgumentException("no template " + name + " in " + language);
        }
        ObjectNode v = JSON.createObjectNode().put("event", status).put("message_template_id", Long.parseLong(t.id()))
                .put("message_template_name", name).put("message_template_language", language)
                .put("reason", reason == null ? "NONE" : reason).put("message_template_category", t.category());
        webhook(envelope("message_template_status_update", v));
    }

    /**
     * Meta rates a template's quality ({@code GREEN}, {@code YELLOW}, {@code RED}, {@code UNKNOWN}): the list shows it
     * ({@code quality_score.score}), and a {@code message_template_quality_update} webhook goes out.
     */
    public void templateQuality(String name, String language, String quality) {
        Template before = templates.get(name + ":" + language);
        if (before == null) {
            throw new IllegalArgumentException("no template " + name + " in " + language);
        }
        templates.put(name + ":" + language, before.withQuality(quality));
        ObjectNode v = JSON.createObjectNode().put("previous_quality_score", before.quality()).put("new_quality_score", quality)
                .put("message_template_id", Long.parseLong(before.id())).put("message_template_name", name)
                .put("message_template_language", language);
        webhook(envelope("message_template_quality_update", v));
    }

    /** Meta moves a template to another category: the list shows it, and a {@code template_category_update} webhook goes out. */
    public void templateCategory(String name, String language, String category) {
        Template before = templates.get(name + ":" + language);
        if (before == null) {
            throw new IllegalArgumentException("no template " + name + " in " + language);
        }
        templates.put(name + ":" + language, before.withCategory(category));
        ObjectNode v = JSON.createObjectNode().put("message_template_id", Long.parseLong(before.id()))
                .put("message_template_name", name).put("message_template_language", language)
                .put("previous_category", before.category()).put("new_category", category);
        webhook(envelope("template_category_update", v));
    }

    private static JsonNode demoComponents(String body) {
        ArrayNode components = JSON.createArrayNode();
        ObjectNode b = components.addObject().put("type", "BODY").put("text", body);
        b.putObject("example").putArray("body_text").addArray().add("Ayşe");
        ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
        ObjectNode url = buttons.addObject().put("type", "URL").put("text", "Alışverişe başla").put("url", "https://sohbet.example/l/{{1}}");
        url.putArray("example").add("https://sohbet.example/l/2.t1.example");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Memnun kaldınız mı?");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Bu mesajları durdur");
        return components;
    }

    /** What happens to recipients without a script. */
    public void defaultOutcome(Outcome outcome) {
        this.defaultOutcome = outcome;
    }

    /** Whether messages to {@code waId} follow a script (else the default outcome, and a {@link Crowd} if one plays). */
    public boolean scripted(String waId) {
        return scripts.containsKey(digits(waId));
    }

    /** The time zone of the customers' habitual hours ({@link History}); Europe/Istanbul unless set. */
    public ZoneId zone() {
        return zone;
    }

    public void zone(ZoneId zone) {
        this.zone = zone;
    }

    /** Calls {@code listener} with every message accepted from now on, once its answer is sent. */
    public void onAccepted(java.util.function.Consumer<Sent> listener) {
        acceptedListeners.add(listener);
    }

    /** The customer read {@code message} at {@code at}: a {@code read} status webhook stamped with that time. */
    public void customerReads(Sent message, Instant at) {
        status(message.wamid(), message.to(), "read", null, message.body().path("biz_opaque_callback_data").asText(null), at,
                new Priced(null, BSUID.matcher(message.to()).matches()));
    }

    /** Every message accepted so far, in order. */
    public List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** How many messages were accepted so far. */
    public int sentCount() {
        return sent.size();
    }

    /** Requests refused with 130429 (over the throughput limit) so far. */
    public int throttled() {
        return throttled.get();
    }

    public int webhooksDelivered() {
        return webhooksDelivered.get();
    }

    public int webhooksRetried() {
        return webhooksRetried.get();
    }

    /** A customer writes text to the business (with their profile name). Returns the wamid. */
    public String customerSays(String waId, String name, String text) {
        ObjectNode message = inbound(waId, "text");
        message.putObject("text").put("body", text);
        return deliverInbound(waId, name, message);
    }

    /**
     * A username-only customer (no phone number shared: {@code wa_id} and {@code from} are empty, as §4 describes)
     * writes text: the contact carries the BSUID ({@code user_id}) and the username, the message {@code from_user_id}.
     * Returns the wamid.
     */
    public String usernameOnlyCustomerSays(String bsuid, String username, String name, String text) {
        if (!BSUID.matcher(bsuid).matches()) {
            throw new IllegalArgumentException("not a business-scoped user id");
        }
        ObjectNode message = JSON.createObjectNode().put("from", "").put("from_user_id", bsuid).put("id", "wamid." + Base64.getEncoder()
                .encodeToString(("IN" + bsuid + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)))
                .put("timestamp", String.valueOf(Instant.now().getEpochSecond())).put("type", "text");
        message.putObject("text").put("body", text);
        ObjectNode v = value();
        ObjectNode contact = v.putArray("contacts").addObject().put("wa_id", "").put("user_id", bsuid);
        contact.putObject("profile").put("name", name).put("username", username);
        v.putArray("messages").add(message);
        webhook(envelope("messages", v));
        return message.get("id").asText();
    }

    /** A customer's identity beyond their number (§12.5): BSUID, username (may be null), number withheld or not. */
    private record Identity(String bsuid, String username, boolean phoneWithheld) {
    }

    /**
     * From now on the customer's webhooks carry their business-scoped user id beside their number, as Meta's do since
     * April 2026: {@code contacts[].user_id}, {@code messages[].from_user_id} and {@code statuses[].recipient_user_id};
     * a message sent with {@code "recipient": bsuid} reaches them.
     */
    public void customerHasBsuid(String waId, String bsuid) {
        if (!BSUID.matcher(bsuid).matches()) {
            throw new IllegalArgumentException("not a business-scoped user id");
        }
        String digits = digits(waId);
        identities.compute(digits, (k, before) -> new Identity(bsuid, before == null ? null : before.username(),
                before != null && before.phoneWithheld()));
        phoneOfBsuid.put(bsuid, digits);
    }

    /**
     * The customer adopts {@code username} and WhatsApp withholds their number from now on (the 30-day interaction cache
     * expired, §4 and §12.5): their messages come with {@code from: ""} and {@code from_user_id}, their contact with
     * {@code wa_id: ""}, {@code user_id} and {@code profile.username}, and every status about them (also of a message sent
     * to their number) with {@code recipient_user_id} and no phone. Their BSUID must be known ({@link #customerHasBsuid}).
     */
    public void customerAdoptsUsername(String waId, String username) {
        Identity before = identities.get(digits(waId));
        if (before == null) {
            throw new IllegalStateException("the customer's BSUID is not known: customerHasBsuid first");
        }
        identities.put(digits(waId), new Identity(before.bsuid(), username, true));
    }

    /** The customer's BSUID, or null when they have none ({@link #customerHasBsuid}). */
    public String bsuidOf(String waId) {
        Identity identity = identities.get(digits(waId));
        return identity == null ? null : identity.bsuid();
    }

    /** The identity of a recipient ({@code to}: phone digits or a BSUID), or null. */
    private Identity identityOf(String to) {
        String waId = BSUID.matcher(to).matches() ? phoneOfBsuid.get(to) : digits(to);
        return waId == null ? null : identities.get(waId);
    }

    /** A customer taps a quick-reply or list button, answering {@code contextWamid}. Returns the wamid. */
    public String customerTaps(String waId, String name, String replyId, String title, String contextWamid) {
        ObjectNode message = inbound(waId, "interactive");
        ObjectNode interactive = message.putObject("interactive");
        interactive.put("type", "button_reply");
        interactive.putObject("button_reply").put("id", replyId).put("title", title);
        if (contextWamid != null) {
            message.putObject("context").put("from", config.displayNumber()).put("id", contextWamid);
        }
        return deliverInbound(waId, name, message);
    }

    /**
     * A customer taps a quick-reply button of a template message ({@code contextWamid}): Meta sends a {@code button}
     * message with the payload the business set and the button's text. Returns the wamid.
     */
    public String customerTapsTemplateButton(String waId, String name, String payload, String text, String contextWamid) {
        ObjectNode message = inbound(waId, "button");
        message.putObject("button").put("payload", payload).put("text", text);
        if (contextWamid != null) {
            message.putObject("context").put("from", config.displayNumber()).put("id", contextWamid);
        }
        return deliverInbound(waId, name, message);
    }

    /** A customer stops (or resumes) marketing messages in WhatsApp's settings. */
    public void customerPreference(String waId, String value) {
        ObjectNode v = value();
        ArrayNode prefs = v.putArray("user_preferences");
        prefs.addObject().put("wa_id", digits(waId)).put("detail", "User requested to " + value + " marketing messages")
                .put("category", "marketing_messages").put("value", value).put("timestamp", Instant.now().getEpochSecond());
        webhook(envelope("user_preferences", v));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher listing = TEMPLATES_PATH.matcher(exchange.getRequestURI().getPath());
            if ("GET".equals(exchange.getRequestMethod()) && listing.matches()) {
                listTemplates(exchange, listing.group(2));
                return;
            }
            Matcher path = SEND_PATH.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                error(exchange, 400, 100, "Unsupported request", "Unknown path or method");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + config.accessToken())) {
                error(exchange, 401, 190, "Invalid OAuth access token", "Error validating access token");
                return;
            }
            if (!path.group(2).equals(config.phoneNumberId())) {
                error(exchange, 400, 100, "Invalid parameter", "Unknown phone number id " + path.group(2));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                error(exchange, 400, 100, "Invalid parameter", "The request body is not JSON");
                return;
            }
            String problem = invalid(body);
            if (problem != null) {
                error(exchange, 400, 100, "Invalid parameter", problem);
                return;
            }
            boolean marketingApi = path.group(3).equals("marketing_messages");
            if (marketingApi && !marketingMessagesTermsAccepted) {
                error(exchange, 403, 10, "Application does not have permission for this action",
                        "The Marketing Messages API terms of service have not been accepted for this business portfolio.");
                return;
            }
            if (marketingApi && !marketingTemplate(body)) {
                error(exchange, 400, 100, "Invalid parameter",
                        "Only marketing templates can be sent with the Marketing Messages API; use /messages.");
                return;
            }
            if (overThroughput()) {
                throttled.incrementAndGet();
                error(exchange, 400, 130429, "Rate limit hit", "Cloud API message throughput has been reached.");
                return;
            }
            Reject unusable = unusableTemplate(body);
            if (unusable != null) {
                error(exchange, 400, unusable.code(), unusable.message(), unusable.details());
                return;
            }
            String bsuid = body.hasNonNull("recipient") ? body.get("recipient").asText() : null;
            if (bsuid == null && BSUID.matcher(body.path("to").asText()).matches()) {
                // a BSUID in `to` is silently dropped: accepted, never delivered, no status
                droppedBsuidsInTo.incrementAndGet();
                ObjectNode answer = JSON.createObjectNode().put("messaging_product", "whatsapp");
                answer.putArray("messages").addObject().put("id", "wamid." + Base64.getEncoder().encodeToString(
                        ("DROP" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)));
                respond(exchange, 200, JSON.writeValueAsBytes(answer));
                return;
            }
            if (bsuid != null && "AUTHENTICATION".equals(category(body))) {
                error(exchange, 400, 131062, "Business-scoped user ID recipients are not supported for authentication templates",
                        "Authentication templates can only be sent to phone numbers.");
                return;
            }
            String to = bsuid != null ? bsuid : digits(body.get("to").asText());
            Outcome outcome = next(to);
            if (outcome instanceof Reject reject) {
                error(exchange, 400, reject.code(), reject.message(), reject.details());
                return;
            }
            if (outcome instanceof Unavailable) {
                error(exchange, 503, 131016, "Service unavailable", "A service is temporarily unavailable.");
                return;
            }
            String wamid = "wamid." + Base64.getEncoder().encodeToString(("HBgM" + to + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
            Sent accepted = new Sent(wamid, to, body.get("type").asText(), body, Instant.now(), path.group(3));
            sent.add(accepted);
            ObjectNode answer = JSON.createObjectNode().put("messaging_product", "whatsapp");
            if (bsuid != null) {
                answer.putArray("contacts").addObject().put("input", bsuid).put("user_id", bsuid);
            } else {
                answer.putArray("contacts").addObject().put("input", body.get("to").asText()).put("wa_id", to);
            }
            ObjectNode m = answer.putArray("messages").addObject().put("id", wamid);
            if ("template".equals(body.get("type").asText())) {
                m.put("message_status", "accepted");
            }
            Priced priced = new Priced(marketingApi ? "marketing_lite" : category(body) == null ? null
                    : category(body).toLowerCase(java.util.Locale.ROOT), bsuid != null);
            if (outcome instanceof LostAnswer lost) {
                play(wamid, to, new Deliver(null), body.path("biz_opaque_callback_data").asText(null), priced);
                try {
                    Thread.sleep(lost.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 200, JSON.writeValueAsBytes(answer));
                accepted(accepted);
                return;
            }
            respond(exchange, 200, JSON.writeValueAsBytes(answer));
            play(wamid, to, outcome, body.path("biz_opaque_callback_data").asText(null), priced);
            accepted(accepted);
        }
    }

    /**
     * Meta's refusal of a template message whose registered template is not {@code APPROVED}: 132015 paused, 132016
     * disabled, 132001 otherwise; null when it may go (templates the simulator does not know are sent, as before
     * templates were registered).
     */
    private Reject unusableTemplate(JsonNode body) {
        if (!"template".equals(body.path("type").asText())) {
            return null;
        }
        Template t = templates.get(body.path("template").path("name").asText() + ":"
                + body.path("template").path("language").path("code").asText());
        if (t == null || "APPROVED".equals(t.status())) {
            return null;
        }
        return switch (t.status()) {
            case "PAUSED" -> new Reject(132015, "Template is Paused",
                    "Template is paused due to low quality so it cannot be sent in a template message.");
            case "DISABLED" -> new Reject(132016, "Template is disabled",
                    "Template has been paused too many times due to low quality and is now permanently disabled.");
            default -> new Reject(132001, "Template name does not exist in the translation",
                    "template name (" + t.name() + ") does not exist in " + t.language());
        };
    }

    /**
     * How a message's statuses are priced and addressed: {@code category} is the pricing category of a template
     * ({@code marketing}, {@code utility}, {@code authentication}, {@code marketing_lite} on the Marketing Messages
     * API), null for a free-form message (a free customer-service message); {@code bsuid}: the recipient is addressed
     * by BSUID ({@code recipient_user_id}, no phone).
     */
    private record Priced(String category, boolean bsuid) {
    }

    /** The category of the registered template a message sends (upper case), null for others. */
    private String category(JsonNode body) {
        if (!"template".equals(body.path("type").asText())) {
            return null;
        }
        Template t = templates.get(body.path("template").path("name").asText() + ":"
                + body.path("template").path("language").path("code").asText());
        return t == null ? "MARKETING" : t.category();
    }

    /** A marketing template (a template the simulator does not know counts as one, as before templates were registered). */
    private boolean marketingTemplate(JsonNode body) {
        return "MARKETING".equals(category(body));
    }

    private void accepted(Sent message) {
        for (java.util.function.Consumer<Sent> listener : acceptedListeners) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                System.err.println("[cloud-api-simulator] a listener failed: " + e);
            }
        }
    }

    /**
     * {@code GET /{version}/{waba-id}/message_templates?limit=&after=}: {@code {"data":[…],"paging":{"cursors":{…},
     * "next"?}}}, as the Graph API pages it (the cursor is the position, base64).
     */
    private void listTemplates(HttpExchange exchange, String wabaId) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + config.accessToken())) {
            error(exchange, 401, 190, "Invalid OAuth access token", "Error validating access token");
            return;
        }
        if (!wabaId.equals(config.wabaId())) {
            error(exchange, 400, 100, "Invalid parameter", "Unknown WhatsApp Business Account id " + wabaId);
            return;
        }
        Map<String, String> query = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        int limit;
        int from;
        try {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(query.getOrDefault("limit", "25"))));
            from = query.containsKey("after") ? Integer.parseInt(new String(Base64.getUrlDecoder().decode(query.get("after")),
                    StandardCharsets.UTF_8)) : 0;
        } catch (IllegalArgumentException e) {
            error(exchange, 400, 100, "Invalid parameter", "limit or after is not valid");
            return;
        }
        List<Template> all = templates();
        List<Template> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + limit));
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode data = answer.putArray("data");
        for (Template t : page) {
            ObjectNode item = data.addObject().put("name", t.name()).put("language", t.language()).put("status", t.status())
                    .put("category", t.category()).put("id", t.id());
            item.putObject("quality_score").put("score", t.quality());
            item.set("components", t.components());
        }
        ObjectNode paging = answer.putObject("paging");
        paging.putObject("cursors").put("before", cursor(from)).put("after", cursor(from + page.size()));
        if (from + page.size() < all.size()) {
            paging.put("next", baseUrl() + exchange.getRequestURI().getPath() + "?limit=" + limit + "&after=" + cursor(from + page.size()));
        }
        respond(exchange, 200, JSON.writeValueAsBytes(answer));
    }

    private static String cursor(int position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(position).getBytes(StandardCharsets.UTF_8));
    }

    /** What is wrong with a send request, or null. */
    static String invalid(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "The request body must be a JSON object";
        }
        if (!"whatsapp".equals(body.path("messaging_product").asText())) {
            return "messaging_product must be whatsapp";
        }
        if (body.has("recipient")) {
            if (body.has("to")) {
                return "Use either to (a phone number) or recipient (a business-scoped user id), not both";
            }
            if (!BSUID.matcher(body.path("recipient").asText("")).matches()) {
                return "Param recipient must be a business-scoped user id";
            }
        } else {
            String to = body.path("to").asText("");
            // a BSUID in `to` passes here: Meta accepts it and silently drops the message
            if (!BSUID.matcher(to).matches() && !to.replaceAll("[^0-9]", "").matches("\\d{8,15}")) {
                return "Param to must be a phone number with country code";
            }
        }
        String type = body.path("type").asText("text");
        if (!body.has(type) || !body.get(type).isObject()) {
            return "Param " + type + " is required for type " + type;
        }
        if (type.equals("template") && (!body.get("template").hasNonNull("name") || !body.get("template").path("language").hasNonNull("code"))) {
            return "template.name and template.language.code are required";
        }
        if (type.equals("text") && body.get("text").path("body").asText("").isEmpty()) {
            return "text.body is required";
        }
        return null;
    }

    private synchronized boolean overThroughput() {
        int limit = maxPerSecond;
        if (limit <= 0) {
            return false;
        }
        long second = System.currentTimeMillis() / 1000;
        if (second != windowSecond) {
            windowSecond = second;
            windowCount = 0;
        }
        return ++windowCount > limit;
    }

    private void play(String wamid, String to, Outcome outcome, String callbackData, Priced priced) {
        if (config.webhookUrl() == null) {
            return;
        }
        if (outcome instanceof History history) {
            Instant sentAt = Instant.now().minus(history.ago());
            scheduler.schedule(() -> status(wamid, to, "sent", null, callbackData, sentAt, priced), 20, TimeUnit.MILLISECONDS);
            scheduler.schedule(() -> status(wamid, to, "delivered", null, callbackData, sentAt.plusSeconds(2), priced), 60, TimeUnit.MILLISECONDS);
            if (history.readHour() != null) {
                Instant readAt = history.readAt(sentAt.plusSeconds(2), zone, wamid);
                scheduler.schedule(() -> status(wamid, to, "read", null, callbackData, readAt, priced), 100, TimeUnit.MILLISECONDS);
            }
            return;
        }
        scheduler.schedule(() -> status(wamid, to, "sent", null, callbackData, Instant.now(), priced), 20, TimeUnit.MILLISECONDS);
        if (outcome instanceof Fail fail) {
            scheduler.schedule(() -> status(wamid, to, "failed", fail, callbackData, Instant.now(), priced), 60, TimeUnit.MILLISECONDS);
        } else if (outcome instanceof Deliver deliver) {
            scheduler.schedule(() -> status(wamid, to, "delivered", null, callbackData, Instant.now(), priced), 60, TimeUnit.MILLISECONDS);
            if (deliver.readAfter() != null) {
                scheduler.schedule(() -> status(wamid, to, "read", null, callbackData, Instant.now(), priced),
                        60 + Math.max(1, deliver.readAfter().toMillis()), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Posts a status webhook stamped {@code at} (Meta's timestamps are whole seconds). */
    private void status(String wamid, String to, String status, Fail fail, String callbackData, Instant at, Priced priced) {
        ObjectNode v = value();
        ObjectNode s = v.putArray("statuses").addObject().put("id", wamid).put("status", status)
                .put("timestamp", String.valueOf(at.getEpochSecond()));
        Identity identity = identityOf(to);
        if (priced.bsuid()) {
            s.put("recipient_user_id", to);
        } else if (identity != null && identity.phoneWithheld()) {
            // sent to the number, but WhatsApp withholds it now: the status names the person by BSUID only
            s.put("recipient_user_id", identity.bsuid());
        } else {
            s.put("recipient_id", to);
            if (identity != null) {
                s.put("recipient_user_id", identity.bsuid());
            }
        }
        if (callbackData != null) {
            s.put("biz_opaque_callback_data", callbackData);
        }
        if (status.equals("sent")) {
            // a free-form message can only go inside the customer service window, where it is free
            s.putObject("pricing").put("billable", priced.category() != null).put("pricing_model", "PMP")
                    .put("category", priced.category() == null ? "service" : priced.category())
                    .put("type", priced.category() == null ? "free_customer_service" : "regular");
        }
        if (fail != null) {
            ObjectNode e = s.putArray("errors").addObject().put("code", fail.code()).put("title", fail.title()).put("message", fail.title());
            e.putObject("error_data").put("details", fail.details());
            e.put("href", "/documentation/business-messaging/whatsapp/support/error-codes");
        }
        webhook(envelope("messages", v));
    }

    /** A message from the customer: {@code from} their number, or {@code ""} and {@code from_user_id} when it is withheld. */
    private ObjectNode inbound(String waId, String type) {
        Identity identity = identities.get(digits(waId));
        boolean withheld = identity != null && identity.phoneWithheld();
        ObjectNode message = JSON.createObjectNode().put("from", withheld ? "" : digits(waId));
        if (identity != null) {
            message.put("from_user_id", identity.bsuid());
        }
        return message.put("id", "wamid." + Base64.getEncoder().encodeToString(("IN" + (withheld ? identity.bsuid() : digits(waId))
                        + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)))
                .put("timestamp", String.valueOf(Instant.now().getEpochSecond())).put("type", type);
    }

    private String deliverInbound(String waId, String name, ObjectNode message) {
        ObjectNode v = value();
        Identity identity = identities.get(digits(waId));
        ObjectNode contact = v.putArray("contacts").addObject().put("wa_id", identity != null && identity.phoneWithheld() ? ""
                : digits(waId));
        ObjectNode profile = contact.putObject("profile").put("name", name);
        if (identity != null) {
            contact.put("user_id", identity.bsuid());
            if (identity.username() != null) {
                profile.put("username", identity.username());
            }
        }
        v.putArray("messages").add(message);
        webhook(envelope("messages", v));
        return message.get("id").asText();
    }

    private ObjectNode value() {
        ObjectNode v = JSON.createObjectNode().put("messaging_product", "whatsapp");
        v.putObject("metadata").put("display_phone_number", config.displayNumber()).put("phone_number_id", config.phoneNumberId());
        return v;
    }

    private byte[] envelope(String field, ObjectNode value) {
        ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", config.wabaId()).putArray("changes").addObject();
        change.set("value", value);
        change.put("field", field);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts a signed webhook; retried with backoff (1 s, 2 s, 4 s …, up to 8 tries) until answered 200, as Meta does. */
    private void webhook(byte[] body) {
        if (config.webhookUrl() == null) {
            return;
        }
        webhookLog.addLast(body);
        while (webhookLog.size() > WEBHOOK_LOG_SIZE) {
            webhookLog.pollFirst();
        }
        post(body, 0);
    }

    /**
     * Sends again, byte for byte and signed as before, every earlier webhook whose body contains {@code text} (say a
     * customer's wa_id), as Meta does when it retries a delivery it believes failed (for up to 7 days). Waits for each
     * answer and returns the HTTP statuses, in order.
     */
    public List<Integer> redeliver(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> statuses = new java.util.ArrayList<>();
        for (byte[] body : List.copyOf(webhookLog)) {
            if (!contains(body, needle)) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(config.webhookUrl()).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", sign(config.appSecret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                statuses.add(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return statuses;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void post(byte[] body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(config.webhookUrl()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", sign(config.appSecret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() == 200) {
                webhooksDelivered.incrementAndGet();
            } else if (attempt < 7 && !scheduler.isShutdown()) {
                webhooksRetried.incrementAndGet();
                scheduler.schedule(() -> post(body, attempt + 1), 1L << attempt, TimeUnit.SECONDS);
            }
        });
    }

    /** {@code sha256=<hex HMAC-SHA256(secret, body)>}, as Meta signs webhooks. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void error(HttpExchange exchange, int status, int code, String message, String details) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode e = error.putObject("error").put("message", "(#" + code + ") " + message).put("type", "OAuthException").put("code", code);
        e.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        e.put("fbtrace_id", "A" + UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        respond(exchange, status, JSON.writeValueAsBytes(error));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String digits(String phone) {
        return phone.replaceAll("[^0-9]", "");
    }

    /** A recipient's key: a BSUID as it is, a phone number's digits. */
    private static String key(String recipient) {
        return BSUID.matcher(recipient).matches() ? recipient : digits(recipient);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        server.stop(0);
    }
}
