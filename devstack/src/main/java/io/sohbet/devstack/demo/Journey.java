package io.sohbet.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sohbet.devstack.Suite;
import io.sohbet.devstack.demo.Api.Answer;
import io.sohbet.events.SubjectIds;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.devstack.whatsapp.Crowd;
import io.sohbet.devstack.whatsapp.ShopSignature;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A shop and its WhatsApp customers, played from a seed through the suite's public interfaces only: signed shop
 * webhooks, customers writing and tapping through the Cloud API simulator (which signs Meta's webhooks), consent
 * recorded with proof, a custom segment, the shop's two earlier campaigns replayed as history (each reader read them
 * at their habitual hour, 14 and 7 days ago: {@link CloudApiSimulator.History}), an A/B campaign, the customers'
 * reactions (reads, link clicks, link previews, replies, CSAT answers, orders after clicks, and three people who stop
 * marketing: one writes STOP, one taps the template's STOP button, one writes STOP and is then imported with an older
 * grant from the shop's old system), a follow-up campaign that none of the three may get, and last an A/B campaign
 * with send-time optimisation over the next 24 hours, which plans each reader at their habitual hour. It knows what
 * every customer did, so it knows what the metrics and the plan must say: the demo prints both, the end-to-end test
 * asserts they are equal.
 */
public final class Journey {

    public static final String SEGMENT = "demo-buyers";
    /** The payload of the campaign template's "stop these messages" quick-reply button. */
    public static final String STOP_PAYLOAD = "STOP_PROMOTIONS";
    /** The customers' habitual read hours (Europe/Istanbul): mornings, lunch breaks, evenings; none in quiet hours (21-09). */
    public static final List<Crowd.Habit> HABITS = List.of(new Crowd.Habit("morning", 0.3, 9, 10),
            new Crowd.Habit("lunch", 0.25, 12, 13), new Crowd.Habit("evening", 0.45, 19, 20));
    /** How long ago the shop's two earlier campaigns were, as the simulator replays them. */
    public static final List<Duration> HISTORY = List.of(Duration.ofDays(14), Duration.ofDays(7));
    /**
     * The shop's rate card (TRY per delivered message; illustrative prices, not Meta's): the demo's customers have
     * Turkish numbers and get marketing templates, so each delivered campaign message costs {@link #MARKETING_TR}.
     */
    public static final String RATE_CARD = """
            country,category,effective_from,price,currency
            TR,marketing,2025-07-01,0.4600,TRY
            TR,utility,2025-07-01,0.2100,TRY
            TR,authentication,2025-07-01,0.2100,TRY
            *,marketing,2025-07-01,2.1000,TRY
            """;
    public static final BigDecimal MARKETING_TR = new BigDecimal("0.4600");
    /** The total of the order a converting customer places after clicking the campaign's link (TRY). */
    public static final BigDecimal ORDER_AFTER_CLICK = new BigDecimal("420.00");
    static final List<String> HISTORY_NAMES = List.of("Sonbahar koleksiyonu", "Kasım fırsatları");
    /**
     * Every campaign of the journey allows six messages a week: campaign-service counts the two replayed campaigns as
     * sent today (only their statuses are of the past), and the default cap (3) would stop the third campaign on.
     */
    static final Map<String, Object> FREQUENCY_CAP = Map.of("messages", 6, "period", "P7D");
    static final CloudApiSimulator.Fail UNDELIVERABLE = new CloudApiSimulator.Fail(131026, "Message undeliverable",
            "Unable to deliver message");
    static final String NOTICE_TEXT = "Sohbet Demo Mağaza aydınlatma metni, sürüm 2026-11";
    static final String[] FIRST = {"Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Emine", "Ali", "Fatma", "Hüseyin",
            "Merve", "İbrahim", "Özge", "Murat", "Şule", "Emre", "Gül", "Burak", "Selin", "Can"};
    static final String[] LAST = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan"};
    static final String[] CITIES = {"İstanbul", "Ankara", "İzmir", "Bursa", "Antalya"};
    static final String[] REPLIES = {"Harika kampanya, teşekkürler!", "Kargo ne zaman gelir?", "Fiyatlar çok pahalı",
            "Beden tablosu var mı?", "Süper, hemen baktım"};

    /**
     * What one customer does; decided from the seed before anything runs. {@code habit} and {@code readHour}: when they
     * read WhatsApp (the simulator's {@link Crowd} habits from the same seed); only readers ({@code reads}) send read
     * receipts, so only they build read history.
     */
    public record Plan(boolean optIn, int orders, boolean undeliverable, boolean reads, boolean clicks, boolean converts,
            String reply, Integer csat, Stop stop, String habit, int readHour) {

        public boolean stops() {
            return stop != Stop.NONE;
        }

        /** Whether the two earlier campaigns left read history: they reached the customer, who read with receipts on. */
        public boolean hasReadHistory() {
            return optIn && reads && !undeliverable;
        }
    }

    /**
     * How a customer stops marketing, if they do: writes STOP; taps the template's STOP quick-reply button; or writes
     * STOP and is then imported with a grant captured long before (a shop's old system), which is history and must
     * not bring marketing back.
     */
    public enum Stop {
        NONE, TEXT, BUTTON, TEXT_THEN_OLDER_GRANT
    }

    public record Customer(int index, String phone, String name, String gender, int birthYear, String city, Plan plan) {

        public String waId() {
            return phone.substring(1);
        }

        public String firstName() {
            return name.substring(0, name.indexOf(' '));
        }

        /** The e-mail address the shop knows the customer by. */
        public String email() {
            return "musteri" + index + "@ornek-magaza.com.tr";
        }

        /** The shop's id of the customer (its customer.upserted event). */
        public String shopCustomerId() {
            return "demo-customer-%03d".formatted(index);
        }

        /** The shop's id of the customer's {@code n}-th past order. */
        public String orderId(int n) {
            return "demo-order-%03d-%d".formatted(index, n);
        }

        /** The shop's id of the order the customer places after clicking the campaign's link. */
        public String orderAfterClickId() {
            return "demo-order-%03d-after".formatted(index);
        }
    }

    /** The counts metrics-service must report for one group of messages (all, or one variant). */
    public record Expected(long sent, long delivered, long read, long failed, long recipients, long readers, long clicked,
            long converted, long optedOut, long replied) {
    }

    /**
     * What happened: the campaigns, who got which variant, and the numbers the metrics must show; the messages each
     * campaign sent while the journey waited for it; the send-time campaign's plan by hour as campaign-service shows it
     * ({@code GET /api/campaigns/{id}/send-times}).
     */
    public record Outcome(String campaignId, String followUpId, Map<String, String> variantByPhone, Expected overall,
            Map<String, Expected> byVariant, long csatResponses, long csatPositive, List<Customer> stoppers,
            long messagesToStoppersAfterStop, Map<String, Long> segmentSizes, List<String> historyIds, String sendTimeCampaignId,
            JsonNode sendTimes, Map<String, List<CloudApiSimulator.Sent>> messagesByCampaign) {

        public List<CloudApiSimulator.Sent> messagesOf(String campaign) {
            return messagesByCampaign.getOrDefault(campaign, List.of());
        }
    }

    private final Suite suite;
    private final List<Customer> customers;
    private final Consumer<String> say;
    private final Api webhooks;
    private final Api consent;
    private final Api segments;
    private final Api campaigns;
    private final Api metrics;
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, List<CloudApiSimulator.Sent>> messagesByCampaign = new LinkedHashMap<>();

    public Journey(Suite suite, long seed, int customerCount, Consumer<String> say) {
        this.suite = suite;
        this.say = say;
        this.customers = customers(seed, customerCount);
        this.webhooks = new Api(suite.service("webhook-service").url(), null);
        this.consent = new Api(suite.service("consent-service").url(), () -> token("privacy"));
        this.segments = new Api(suite.service("segment-service").url(), () -> token("marketer"));
        this.campaigns = new Api(suite.service("campaign-service").url(), () -> token("marketer"));
        this.metrics = new Api(suite.service("metrics-service").url(), () -> token("analyst"));
    }

    public List<Customer> customers() {
        return customers;
    }

    private synchronized String token(String user) {
        return tokens.computeIfAbsent(user, suite::token);
    }

    /** The customers and their plans: the same seed gives the same people doing the same things. */
    static List<Customer> customers(long seed, int count) {
        Random random = new Random(seed);
        List<Customer> out = new ArrayList<>();
        List<Stop> stopsToGive = new ArrayList<>(List.of(Stop.TEXT, Stop.BUTTON, Stop.TEXT_THEN_OLDER_GRANT));
        Crowd.Options habits = habits(seed);
        boolean undeliverableChosen = false;
        for (int i = 0; i < count; i++) {
            String phone = "+90" + (530 + random.nextInt(20)) + String.format("%07d", 1_000_000 + i * 7919 % 8_999_999);
            String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
            boolean optIn = random.nextDouble() < 0.85;
            int orders = 1 + random.nextInt(i % 5 == 0 ? 4 : 2);
            boolean undeliverable = optIn && !undeliverableChosen && i >= 3;
            undeliverableChosen |= undeliverable;
            boolean reads = optIn && !undeliverable && random.nextDouble() < 0.75;
            boolean clicks = reads && random.nextDouble() < 0.5;
            boolean converts = clicks && random.nextDouble() < 0.5;
            String reply = reads && random.nextDouble() < 0.3 ? REPLIES[random.nextInt(REPLIES.length)] : null;
            Integer csat = reads && random.nextDouble() < 0.6 ? new int[] {5, 5, 4, 4, 3, 2, 1}[random.nextInt(7)] : null;
            // the first reader who did nothing else stops by text (as before); the next readers who neither clicked nor
            // wrote stop by button and by text then an older grant (a CSAT answer first does not matter)
            boolean mayStop = reads && reply == null && !clicks && !stopsToGive.isEmpty()
                    && (csat == null || stopsToGive.get(0) != Stop.TEXT);
            Stop stop = mayStop ? stopsToGive.remove(0) : Stop.NONE;
            Crowd.Customer habitual = Crowd.customer(habits, phone);
            out.add(new Customer(i, phone, name, random.nextBoolean() ? "female" : "male", 1960 + random.nextInt(45),
                    CITIES[random.nextInt(CITIES.length)], new Plan(optIn, orders, undeliverable, reads, clicks, converts,
                    reply, csat, stop, habitual.habit(), habitual.readHour())));
        }
        if (!stopsToGive.isEmpty()) {
            throw new IllegalArgumentException("seed " + seed + " gives no customer for " + stopsToGive + "; choose more customers");
        }
        return out;
    }

    /** The simulator's habits for this seed ({@link #HABITS}); only the habits matter here. */
    static Crowd.Options habits(long seed) {
        return new Crowd.Options(seed, HABITS, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ofMinutes(1), Duration.ZERO, null, null, null);
    }

    /** Runs the whole journey and returns what the metrics and the plan must say. */
    public Outcome run() {
        shop();
        rateCard();
        optIns();
        Map<String, Long> sizes = segment();
        awaitIysSynced(Duration.ofSeconds(60));
        List<String> history = history();
        String campaign = campaign();
        Map<String, CloudApiSimulator.Sent> sent = awaitSent(campaign);
        react(sent);
        Map<String, String> variants = new HashMap<>();
        sent.forEach((waId, message) -> variants.put("+" + waId, message.body().path("template").path("name").asText()
                .endsWith("_b") ? "b" : "a"));
        List<Customer> stoppers = customers.stream().filter(c -> c.plan().stops()).toList();
        stoppers.forEach(this::awaitStopRecorded);
        stoppers.stream().filter(c -> c.plan().stop() == Stop.TEXT_THEN_OLDER_GRANT).forEach(this::importOlderGrant);
        Instant stopped = Instant.now();
        String followUp = followUp();
        String sendTimeCampaign = sendTimeCampaign();
        JsonNode plan = campaigns.get("/api/campaigns/" + sendTimeCampaign + "/send-times").expect(200).body();
        say.accept("send times of " + sendTimeCampaign + " by hour: " + hoursText(plan));
        Set<String> stoppedWaIds = stoppers.stream().map(Customer::waId).collect(Collectors.toSet());
        long afterStop = suite.cloudApi().sent().stream().filter(m -> stoppedWaIds.contains(m.to()) && m.at().isAfter(stopped)).count();
        Map<String, Expected> byVariant = new LinkedHashMap<>();
        for (String v : List.of("a", "b")) {
            byVariant.put(v, expected(c -> v.equals(variants.get(c.phone()))));
        }
        Expected overall = expected(c -> variants.containsKey(c.phone()));
        List<Customer> rated = customers.stream().filter(c -> sent.containsKey(c.waId()) && c.plan().csat() != null).toList();
        return new Outcome(campaign, followUp, variants, overall, byVariant, rated.size(),
                rated.stream().filter(c -> c.plan().csat() >= 4).count(), stoppers, afterStop, sizes, history, sendTimeCampaign, plan,
                Map.copyOf(messagesByCampaign));
    }

    /** The customers with read history (see {@link Plan#hasReadHistory()}) by their habitual hour. */
    public Map<Integer, Long> readersByHour() {
        return customers.stream().filter(c -> c.plan().hasReadHistory())
                .collect(Collectors.groupingBy(c -> c.plan().readHour(), java.util.TreeMap::new, Collectors.counting()));
    }

    /** {@code 19:00 ×9, 20:00 ×7, …} of a send-times view (local hour starts). */
    static String hoursText(JsonNode sendTimes) {
        List<String> parts = new ArrayList<>();
        for (JsonNode h : sendTimes.path("hours")) {
            String start = h.path("start").asText();
            parts.add(start.substring(5, 10) + " " + start.substring(11, 16) + " ×" + h.path("recipients").asLong());
        }
        return String.join(", ", parts);
    }

    /** Cancels a campaign (its recipients not yet messaged are not messaged). */
    public void cancel(String campaignId) {
        campaigns.post("/api/campaigns/" + campaignId + "/cancel", Map.of()).expect(200);
    }

    private Expected expected(java.util.function.Predicate<Customer> in) {
        List<Customer> group = customers.stream().filter(in).toList();
        long sent = group.size();
        long failed = group.stream().filter(c -> c.plan().undeliverable()).count();
        long readers = group.stream().filter(c -> c.plan().reads()).count();
        long clicked = group.stream().filter(c -> c.plan().clicks()).count();
        long converted = group.stream().filter(c -> c.plan().converts()).count();
        long opted = group.stream().filter(c -> c.plan().stops()).count();
        long replied = group.stream().filter(c -> c.plan().reply() != null || c.plan().csat() != null || c.plan().stops()).count();
        return new Expected(sent, sent - failed, readers, failed, sent, readers, clicked, converted, opted, replied);
    }

    /** An admin imports the rate card campaigns are priced with (metrics-service, CSV). */
    void rateCard() {
        Api admin = new Api(suite.service("metrics-service").url(), () -> token("admin"));
        JsonNode imported = admin.postText("/api/metrics/rate-card", "text/csv", RATE_CARD).expect(200).body();
        say.accept("rate card: " + imported.path("lines").asInt() + " prices imported (TR marketing " + MARKETING_TR + " TRY per "
                + "delivered message)");
    }

    /**
     * The hand calculation of what a group of the campaign's messages cost and returned: every delivered message is a
     * Turkish marketing template at {@link #MARKETING_TR}; every converting customer ordered {@link #ORDER_AFTER_CLICK}
     * once, after their click. Return on spend = revenue / cost, two decimals.
     */
    public record ExpectedSpend(BigDecimal cost, BigDecimal revenue, BigDecimal returnOnSpend) {

        public static ExpectedSpend of(Expected e) {
            BigDecimal cost = MARKETING_TR.multiply(BigDecimal.valueOf(e.delivered()));
            BigDecimal revenue = ORDER_AFTER_CLICK.multiply(BigDecimal.valueOf(e.converted()));
            return new ExpectedSpend(cost, revenue, cost.signum() == 0 ? null : revenue.divide(cost, 2, java.math.RoundingMode.HALF_UP));
        }

        /** Whether a group's {@code cost} object (metrics-service) says exactly this, every charged message priced. */
        public boolean matches(JsonNode cost) {
            return same(cost.path("amount"), this.cost) && same(cost.path("revenue"), revenue) && same(cost.path("returnOnSpend"),
                    returnOnSpend) && cost.path("unpriced").asLong(-1) == 0 && "TRY".equals(cost.path("currency").asText());
        }

        private static boolean same(JsonNode value, BigDecimal expected) {
            return expected == null ? value.isMissingNode() || value.isNull()
                    : value.isNumber() && value.decimalValue().compareTo(expected) == 0;
        }
    }

    /** The shop tells us about its customers and their past orders (signed webhooks, as a shop plug-in would). */
    void shop() {
        say.accept("shop: " + customers.size() + " customers and their orders arrive through signed webhooks");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Customer c : customers) {
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("phone", c.phone());
            customer.put("name", c.name());
            customer.put("gender", c.gender());
            customer.put("birthYear", c.birthYear());
            customer.put("city", c.city());
            customer.put("email", c.email());
            commerce(Map.of("id", c.shopCustomerId(), "type", "customer.upserted",
                    "occurredAt", now.minus(40, ChronoUnit.DAYS).toString(), "customer", customer));
            for (int o = 0; o < c.plan().orders(); o++) {
                commerce(order(c.orderId(o), c, now.minus(2 + o * 5L, ChronoUnit.DAYS),
                        c.index() % 5 == 0 ? 650 + o * 40 : 180 + o * 25));
            }
        }
    }

    private Map<String, Object> order(String id, Customer c, Instant at, int total) {
        return Map.of("id", id, "type", "order.paid", "occurredAt", at.toString(), "customer", Map.of("phone", c.phone()),
                "order", Map.of("id", id, "total", total, "currency", "TRY",
                        "items", List.of(Map.of("sku", "SKU-" + (total % 7), "category", "giyim", "quantity", 1, "unitPrice", total))));
    }

    private void commerce(Map<String, Object> event) {
        byte[] body = Api.json(event).getBytes(StandardCharsets.UTF_8);
        Api.send(ShopSignature.signed(HttpRequest.newBuilder(URI.create(suite.service("webhook-service").url() + "/webhooks/commerce"))
                .header("Content-Type", "application/json"), Suite.localSecrets().get("COMMERCE_WEBHOOK_SECRET"), body)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))).expect(200);
    }

    /** Every customer writes to the shop on WhatsApp; those who agree are recorded with the notice and the wamid. */
    void optIns() {
        long agreed = customers.stream().filter(c -> c.plan().optIn()).count();
        say.accept("whatsapp: " + customers.size() + " customers write; " + agreed + " opt in to marketing (consent with proof)");
        String noticeHash = sha256(NOTICE_TEXT);
        for (Customer c : customers) {
            String wamid = suite.cloudApi().customerSays(c.waId(), c.name(), c.plan().optIn() ? "Evet, kampanyalardan haberdar olmak istiyorum"
                    : "Merhaba, siparişim nerede?");
            if (c.plan().optIn()) {
                consent.post("/api/consents", Map.of("phone", c.phone(), "purpose", "marketing", "channel", "whatsapp",
                        "state", "granted", "source", "whatsapp-opt-in",
                        "notice", Map.of("id", "whatsapp-optin", "version", "2026-11", "sha256", noticeHash),
                        "evidence", Map.of("wamid", wamid))).expect(201);
            }
        }
    }

    /** A custom segment of everyone who bought; waits until every customer is in it. Returns segment sizes. */
    Map<String, Long> segment() {
        Answer existing = segments.get("/api/segments/" + SEGMENT);
        if (existing.status() == 404) {
            segments.post("/api/segments", Map.of("id", SEGMENT, "name", "Demo buyers", "description", "bought at least once",
                    "rule", Map.of("attr", "ordersTotal", "op", ">=", "value", 1))).expect(201);
        }
        segments.await("/api/segments/" + SEGMENT, a -> a.status() == 200 && a.body().path("members").asLong() >= customers.size(),
                Duration.ofSeconds(90));
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (JsonNode s : segments.get("/api/segments").expect(200).body()) {
            sizes.put(s.path("id").asText(), s.path("members").asLong());
        }
        say.accept("segments: " + sizes.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        return sizes;
    }

    /**
     * A variant sending one of the demo's templates: the first name in the body, the tracked link in the URL button,
     * quick replies for the CSAT question and for stopping these messages.
     */
    public static Map<String, Object> variant(String id, String template) {
        return Map.of("id", id, "weight", 1, "message", Map.of("type", "template",
                "template", Map.of("name", template, "language", "tr", "body", List.of("{{firstName|Merhaba}}"),
                        "quickReplies", List.of(Map.of("index", 1, "payload", "csat_ask"), Map.of("index", 2, "payload", STOP_PAYLOAD))),
                "trackedLink", Map.of("id", "kis-indirimi", "target", "https://shop.example/kis-indirimi", "buttonIndex", 0)));
    }

    /** A campaign definition to the demo segment: these variants, six messages a week at most. */
    private static Map<String, Object> definition(String name, List<Map<String, Object>> variants) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("audience", Map.of("segments", List.of(SEGMENT)));
        definition.put("variants", variants);
        definition.put("frequencyCap", FREQUENCY_CAP);
        return definition;
    }

    /**
     * Creates, schedules and waits for a campaign to complete; keeps the messages the simulator accepted meanwhile
     * (the journey runs one campaign at a time) as the campaign's.
     */
    private String runToCompletion(Map<String, Object> definition, String what) {
        String id = campaigns.post("/api/campaigns", definition).expect(201).body().path("id").asText();
        int before = suite.cloudApi().sentCount();
        campaigns.post("/api/campaigns/" + id + "/schedule", Map.of()).expect(200);
        say.accept(what + " " + id + " scheduled");
        JsonNode done = campaigns.await("/api/campaigns/" + id, a -> "completed".equals(a.body().path("status").asText()),
                Duration.ofSeconds(150)).body();
        List<CloudApiSimulator.Sent> all = suite.cloudApi().sent();
        messagesByCampaign.put(id, List.copyOf(all.subList(before, all.size())));
        say.accept(what + " " + id + " completed: " + done.path("progress"));
        List<String> why = new ArrayList<>();
        campaigns.get("/api/campaigns/" + id + "/reasons").expect(200).body().path("reasons").forEach(r -> why.add(r.path("state").asText()
                + (r.path("code").isNull() ? "" : " " + r.path("code").asText()) + " '" + r.path("reason").asText() + "' " + r.path("recipients").asLong()));
        if (!why.isEmpty()) {
            say.accept(what + " " + id + ": not sent, and why: " + String.join(", ", why));
        }
        return id;
    }

    /**
     * The shop's two earlier campaigns, replayed as history: the simulator posts their statuses 14 and 7 days back,
     * and each reader's read at their habitual hour of that day ({@link CloudApiSimulator.History}). Returns once
     * metrics-service, which learns read hours from the reads' timestamps, names every reader's habitual hour as their
     * best.
     */
    List<String> history() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < HISTORY.size(); i++) {
            Duration ago = HISTORY.get(i);
            for (Customer c : customers) {
                suite.cloudApi().script(c.waId(), c.plan().undeliverable() ? UNDELIVERABLE
                        : new CloudApiSimulator.History(ago, c.plan().reads() ? c.plan().readHour() : null));
            }
            Map<String, Object> definition = definition(HISTORY_NAMES.get(i), List.of(variant("a", "kis_indirimi_a")));
            definition.put("quietHours", Map.of("enabled", false));
            ids.add(runToCompletion(definition, "history: campaign \"" + HISTORY_NAMES.get(i) + "\" of " + ago.toDays() + " days ago,"));
        }
        List<Customer> readers = customers.stream().filter(c -> c.plan().hasReadHistory()).toList();
        // one person's read hours are a marketer's to read, not an analyst's
        Api perPerson = new Api(suite.service("metrics-service").url(), () -> token("marketer"));
        for (Customer c : readers) {
            perPerson.await("/api/metrics/subjects/" + subjectOf(c) + "/read-hours", a -> a.status() == 200
                    && a.body().path("totalReads").asLong() >= HISTORY.size()
                    && a.body().path("bestHours").path(0).asInt(-1) == c.plan().readHour(), Duration.ofSeconds(90));
        }
        Map<String, Long> byHabit = readers.stream().collect(Collectors.groupingBy(c -> c.plan().habit(), LinkedHashMap::new,
                Collectors.counting()));
        say.accept("history: " + readers.size() + " readers read both at their habitual hours (" + byHabit.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + "); metrics-service now names each "
                + "reader's habitual hour as their best");
        return ids;
    }

    /** An A/B campaign sent at once; the readers read within a second, the undeliverable number fails. */
    String campaign() {
        for (Customer c : customers) {
            Duration readAfter = c.plan().reads() ? Duration.ofMillis(300) : null;
            suite.cloudApi().script(c.waId(), c.plan().undeliverable() ? UNDELIVERABLE : new CloudApiSimulator.Deliver(readAfter));
        }
        Map<String, Object> definition = definition("Kış indirimi", List.of(variant("a", "kis_indirimi_a"), variant("b", "kis_indirimi_b")));
        definition.put("quietHours", Map.of("enabled", false));
        return runToCompletion(definition, "campaign: two variants at once to segment " + SEGMENT + ",");
    }

    /**
     * An A/B campaign with send-time optimisation over the next 24 hours and the default quiet hours (21-09): each
     * reader is due at their habitual hour, those without read history at the segment's best hour (or the start).
     * Returns once it is planned; it then runs on (the demo leaves it; the end-to-end test cancels it).
     */
    String sendTimeCampaign() {
        for (Customer c : customers) {
            Duration readAfter = c.plan().reads() ? Duration.ofMillis(300) : null;
            suite.cloudApi().script(c.waId(), c.plan().undeliverable() ? UNDELIVERABLE : new CloudApiSimulator.Deliver(readAfter));
        }
        Map<String, Object> definition = definition("Yılbaşı fırsatları", List.of(variant("a", "kis_indirimi_a"),
                variant("b", "kis_indirimi_b")));
        definition.put("schedule", Map.of("mode", "best-time", "window", "PT24H"));
        String id = campaigns.post("/api/campaigns", definition).expect(201).body().path("id").asText();
        int before = suite.cloudApi().sentCount();
        campaigns.post("/api/campaigns/" + id + "/schedule", Map.of()).expect(200);
        campaigns.await("/api/campaigns/" + id, a -> a.status() == 200 && a.body().hasNonNull("plannedAt"), Duration.ofSeconds(90));
        Api.sleep(1000); // what is due at once is sent within the second
        List<CloudApiSimulator.Sent> all = suite.cloudApi().sent();
        messagesByCampaign.put(id, List.copyOf(all.subList(before, all.size())));
        say.accept("send-time campaign " + id + ": two variants, each recipient at their best hour within 24 h, planned");
        return id;
    }

    private Map<String, CloudApiSimulator.Sent> awaitSent(String campaign) {
        Set<String> ours = customers.stream().map(Customer::waId).collect(Collectors.toSet());
        Map<String, CloudApiSimulator.Sent> sent = new HashMap<>();
        for (CloudApiSimulator.Sent m : messagesByCampaign.getOrDefault(campaign, List.of())) {
            if (ours.contains(m.to()) && m.body().path("biz_opaque_callback_data").asText().startsWith("sohbet:")) {
                if (sent.put(m.to(), m) != null) {
                    throw new IllegalStateException("a customer was messaged twice by campaign " + campaign);
                }
            }
        }
        return sent;
    }

    /** The customers react to what they received, as their plans say. */
    void react(Map<String, CloudApiSimulator.Sent> sent) {
        Api.sleep(1500); // the simulator's read receipts go out 300 ms after delivery
        for (Customer c : customers) {
            CloudApiSimulator.Sent message = sent.get(c.waId());
            if (message == null) {
                continue;
            }
            String link = suite.service("webhook-service").url() + "/l/" + linkToken(message.body());
            // WhatsApp's own crawler fetches every link for its preview: a redirect, never a click
            expectRedirect(link, "WhatsApp/2.24.1.6 A");
            if (c.plan().clicks()) {
                expectRedirect(link, "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36");
            }
            if (c.plan().reply() != null) {
                suite.cloudApi().customerSays(c.waId(), c.name(), c.plan().reply());
            }
            if (c.plan().csat() != null) {
                suite.cloudApi().customerTaps(c.waId(), c.name(), "csat_" + c.plan().csat(), c.plan().csat() + " ⭐", message.wamid());
            }
            switch (c.plan().stop()) {
                case TEXT, TEXT_THEN_OLDER_GRANT -> suite.cloudApi().customerSays(c.waId(), c.name(), "STOP");
                case BUTTON -> suite.cloudApi().customerTapsTemplateButton(c.waId(), c.name(), STOP_PAYLOAD, "Bu mesajları durdur",
                        message.wamid());
                case NONE -> { }
            }
            if (c.plan().converts()) {
                commerce(order(c.orderAfterClickId(), c, Instant.now().truncatedTo(ChronoUnit.SECONDS), ORDER_AFTER_CLICK.intValue()));
            }
        }
        say.accept("customers: reads, clicks, replies, CSAT answers, orders after clicks, a STOP by text and one by button are on their way");
    }

    public static String linkToken(JsonNode body) {
        for (JsonNode component : body.path("template").path("components")) {
            if ("url".equals(component.path("sub_type").asText())) {
                return component.path("parameters").path(0).path("text").asText();
            }
        }
        throw new IllegalStateException("no tracked link in " + body);
    }

    private void expectRedirect(String link, String userAgent) {
        Answer answer = Api.send(HttpRequest.newBuilder(URI.create(link)).header("User-Agent", userAgent).GET());
        if (answer.status() != 302) {
            throw new IllegalStateException("tracked link answered " + answer.status());
        }
    }

    /** The subject id every service knows this customer by (HMAC of the phone with the suite's pepper). */
    public static String subjectOf(Customer customer) {
        return new SubjectIds(Suite.localSecrets().get("SOHBET_PEPPER").getBytes(StandardCharsets.UTF_8)).fromPhone(customer.phone());
    }

    /**
     * The shop's old system is imported: it holds a marketing grant this customer gave in 2025, before their STOP. It
     * is recorded as history and must not bring marketing back (the latest choice wins).
     */
    private void importOlderGrant(Customer customer) {
        JsonNode report = consent.post("/api/consents/import", List.of(Map.of("phone", customer.phone(), "purpose", "marketing",
                "channel", "whatsapp", "state", "granted", "source", "import",
                "notice", Map.of("id", "eski-sistem", "version", "2025-03", "sha256", sha256("Eski mağaza sistemi aydınlatma metni")),
                "capturedAt", "2025-03-14T09:30:00Z"))).expect(200).body();
        if (report.path("recorded").asInt() != 1) {
            throw new IllegalStateException("the older grant was not recorded: " + report);
        }
        say.accept("import: a marketing grant from 2025 for a customer who has since written STOP (history, not the current choice)");
    }

    /** The İYS sync state ({@code GET /api/iys/status}, privacy officer): channels, records per state, problems. */
    public JsonNode iysStatus() {
        return consent.get("/api/iys/status").expect(200).body();
    }

    /**
     * Waits until every İYS record is answered (none pending, being sent or awaiting İYS's result), so that with
     * enforcement on the grants made so far are usable (README, İYS); says how many records are in each state.
     */
    public JsonNode awaitIysSynced(Duration timeout) {
        JsonNode status = consent.await("/api/iys/status", a -> a.status() == 200 && (!a.body().path("enabled").asBoolean()
                || List.of("pending", "sending", "sent").stream().allMatch(s -> a.body().path("records").path(s).asLong() == 0)),
                timeout).body();
        say.accept("İYS: " + iysText(status));
        return status;
    }

    /** {@code whatsapp as MESAJ (enforced); records: accepted 33, skipped 0, …} of an İYS status. */
    public static String iysText(JsonNode status) {
        if (!status.path("enabled").asBoolean()) {
            return "off";
        }
        List<String> channels = new ArrayList<>();
        status.path("channels").fields().forEachRemaining(c -> channels.add(c.getKey() + " as " + c.getValue().path("type").asText()
                + (c.getValue().path("enforce").asBoolean() ? " (enforced)" : "")));
        List<String> states = new ArrayList<>();
        status.path("records").fields().forEachRemaining(r -> states.add(r.getKey() + " " + r.getValue().asLong()));
        return String.join(", ", channels) + "; records " + String.join(", ", states) + "; overdue " + status.path("overdue").asLong();
    }

    /** consent-service's view of a customer's consent (state per purpose and history). */
    public JsonNode consentOf(Customer customer) {
        return consent.get("/api/consents/" + subjectOf(customer)).expect(200).body();
    }

    private void awaitStopRecorded(Customer stopper) {
        String subject = subjectOf(stopper);
        consent.await("/api/consents/" + subject, a -> a.status() == 200 && a.body().path("current").toString().contains("revoked"),
                Duration.ofSeconds(30));
    }

    /**
     * A follow-up to the same segment: the customers who stopped must not get it. Nobody has read it yet when the
     * journey goes on (a read now, with the campaign's, would outweigh the two habitual reads of the history).
     */
    String followUp() {
        for (Customer c : customers) {
            suite.cloudApi().script(c.waId(), c.plan().undeliverable() ? UNDELIVERABLE : new CloudApiSimulator.Deliver(null));
        }
        Map<String, Object> definition = definition("Kış indirimi hatırlatma", List.of(variant("a", "kis_indirimi_hatirlatma")));
        definition.put("quietHours", Map.of("enabled", false));
        return runToCompletion(definition, "follow-up");
    }

    /** Waits until metrics-service shows every reaction (or the timeout), then returns its campaign report. */
    public JsonNode campaignMetrics(Outcome outcome, Duration timeout) {
        try {
            return metrics.await("/api/metrics/campaigns/" + outcome.campaignId(), a -> a.status() == 200
                    && matches(a.body().path("overall"), outcome.overall()), timeout).body();
        } catch (IllegalStateException late) {
            return metrics.get("/api/metrics/campaigns/" + outcome.campaignId()).body();
        }
    }

    /** What metrics-service answers to an analyst's GET of {@code path} (200 expected). */
    public JsonNode metrics(String path) {
        return metrics.get(path).expect(200).body();
    }

    public JsonNode csat(String campaignId) {
        return metrics.get("/api/metrics/csat?campaignId=" + campaignId).expect(200).body();
    }

    public static boolean matches(JsonNode group, Expected e) {
        return group.path("sent").asLong() == e.sent() && group.path("delivered").asLong() == e.delivered()
                && group.path("read").asLong() == e.read() && group.path("failed").asLong() == e.failed()
                && group.path("recipients").asLong() == e.recipients() && group.path("readers").asLong() == e.readers()
                && group.path("clicked").asLong() == e.clicked() && group.path("converted").asLong() == e.converted()
                && group.path("optedOut").asLong() == e.optedOut() && group.path("replied").asLong() == e.replied();
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
