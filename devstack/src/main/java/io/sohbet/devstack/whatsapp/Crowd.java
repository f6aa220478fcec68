package io.sohbet.devstack.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customers behind the Cloud API simulator, played from a seed. Each number is a customer with a habit (the hour
 * of the day they read WhatsApp in, in the simulator's time zone) and read receipts on or off; each message they get
 * is then read at their habitual hour (or at once, when the phone happens to be in hand; or never), and after the
 * read they may tap its link, order in the shop after the click, reply, answer the CSAT question or stop marketing,
 * with the probabilities of {@link Options}. The same seed and number give the same customer, and the n-th message to
 * a customer the same fate. Only recipients the simulator has no script for are played.
 */
public final class Crowd implements AutoCloseable {

    /** A share of the customers who read in the hours {@code fromHour} to {@code toHour} (both included). */
    public record Habit(String name, double share, int fromHour, int toHour) {

        public Habit {
            if (share < 0 || fromHour < 0 || toHour > 23 || fromHour > toHour || name == null || name.isBlank()) {
                throw new IllegalArgumentException("a habit is name:share:from-to with 0 <= from <= to <= 23, got "
                        + name + ":" + share + ":" + fromHour + "-" + toHour);
            }
        }
    }

    /**
     * How the customers behave. Shares and probabilities are between 0 and 1: {@code receiptsOff} of the customers
     * send no read receipts (they still read and react); of the messages, {@code ignore} are never read and
     * {@code prompt} are read within {@code readDelay} whatever the hour, the rest at the customer's habitual hour.
     * After a read (and {@code reactionDelay} at most), {@code stop} of them stop marketing (the template's stop button
     * if it has one, else "STOP"); of the others {@code click} tap the link, {@code order} of the clickers order,
     * {@code reply} write back and {@code csat} answer the satisfaction question. Clicks go to {@code linkBase} + the
     * template's URL button parameter (null: only links in a text's body are clicked); orders are posted, signed with
     * {@code shopSecret}, to {@code shopWebhook} (null: no orders).
     */
    public record Options(long seed, List<Habit> habits, double receiptsOff, double ignore, double prompt, double click,
            double order, double reply, double csat, double stop, Duration readDelay, Duration reactionDelay, URI linkBase,
            URI shopWebhook, String shopSecret) {

        public Options {
            habits = List.copyOf(habits);
            if (habits.isEmpty() || habits.stream().mapToDouble(Habit::share).sum() <= 0) {
                throw new IllegalArgumentException("at least one habit with a share above 0 is needed");
            }
            for (double p : new double[] {receiptsOff, ignore, prompt, click, order, reply, csat, stop}) {
                if (p < 0 || p > 1 || Double.isNaN(p)) {
                    throw new IllegalArgumentException("shares and probabilities are between 0 and 1, got " + p);
                }
            }
            if (ignore + prompt > 1) {
                throw new IllegalArgumentException("ignore + prompt cannot exceed 1");
            }
            if (readDelay.isNegative() || readDelay.isZero() || reactionDelay.isNegative()) {
                throw new IllegalArgumentException("read-delay must be positive and reaction-delay not negative");
            }
        }

        /** Mornings, lunch breaks and evenings in Turkey; a few receipts off; everything else modest. */
        public static Options defaults() {
            return new Options(1, List.of(new Habit("morning", 0.3, 8, 9), new Habit("lunch", 0.2, 12, 13),
                    new Habit("evening", 0.5, 19, 20)), 0.1, 0.15, 0.2, 0.35, 0.3, 0.1, 0.3, 0.02, Duration.ofMinutes(2),
                    Duration.ofMinutes(1), null, null, null);
        }

        public Options withShop(URI linkBase, URI shopWebhook, String shopSecret) {
            return new Options(seed, habits, receiptsOff, ignore, prompt, click, order, reply, csat, stop, readDelay, reactionDelay,
                    linkBase, shopWebhook, shopSecret);
        }

        /** One line saying what the customers do, for a console. */
        public String describe() {
            StringBuilder habitText = new StringBuilder();
            for (Habit h : habits) {
                habitText.append(habitText.isEmpty() ? "" : ", ").append(h.name()).append(' ').append(Math.round(h.share() * 100))
                        .append("% (").append(h.fromHour()).append('-').append(h.toHour() + 1).append(" h)");
            }
            return String.format(java.util.Locale.ROOT, "seed %d; habits: %s; receipts off %.0f%%; of the messages %.0f%% never read, "
                    + "%.0f%% read within %s, the rest at the habitual hour; after a read: stop %.0f%%, click %.0f%% "
                    + "(then order %.0f%%), reply %.0f%%, CSAT %.0f%%", seed, habitText, receiptsOff * 100, ignore * 100, prompt * 100,
                    readDelay, stop * 100, click * 100, order * 100, reply * 100, csat * 100);
        }
    }

    /** One customer: their profile name, habit and habitual hour, and whether WhatsApp sends their read receipts. */
    public record Customer(String waId, String name, String habit, int readHour, boolean readReceipts) {
    }

    /** What the crowd has done so far. */
    public record Counts(int messages, int reads, int receipts, int clicks, int orders, int replies, int csatAnswers, int stops) {
    }

    static final String[] FIRST = {"Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Emine", "Ali", "Fatma", "Hüseyin",
            "Merve", "İbrahim", "Özge", "Murat", "Şule", "Emre", "Gül", "Burak", "Selin", "Can"};
    static final String[] LAST = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan"};
    static final String[] REPLIES = {"Teşekkürler, çok güzel!", "Kargo ücretsiz mi?", "Bedenim kalmış mı?", "Fiyat biraz yüksek",
            "Hemen sipariş verdim"};
    private static final String PHONE_USER_AGENT = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";
    private static final Pattern URL_IN_TEXT = Pattern.compile("https?://\\S+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudApiSimulator simulator;
    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "crowd");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> messagesPerCustomer = new ConcurrentHashMap<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger receipts = new AtomicInteger();
    private final AtomicInteger clicks = new AtomicInteger();
    private final AtomicInteger orders = new AtomicInteger();
    private final AtomicInteger replies = new AtomicInteger();
    private final AtomicInteger csatAnswers = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();

    private Crowd(CloudApiSimulator simulator, Options options) {
        this.simulator = simulator;
        this.options = options;
    }

    /**
     * Lets the crowd play every recipient without a script: the simulator delivers their messages and sends no read of
     * its own; the crowd reads and reacts.
     */
    public static Crowd attach(CloudApiSimulator simulator, Options options) {
        Crowd crowd = new Crowd(simulator, options);
        simulator.defaultOutcome(new CloudApiSimulator.Deliver(null));
        simulator.onAccepted(message -> {
            if (!simulator.scripted(message.to())) {
                crowd.received(message);
            }
        });
        return crowd;
    }

    public Options options() {
        return options;
    }

    public Counts counts() {
        return new Counts(messages.get(), reads.get(), receipts.get(), clicks.get(), orders.get(), replies.get(), csatAnswers.get(),
                stops.get());
    }

    /** The customer behind {@code waId}, the same for the same seed. */
    public Customer customer(String waId) {
        return customer(options, waId);
    }

    /** The customer behind {@code waId} in a crowd with these options (no simulator needed). */
    public static Customer customer(Options options, String waId) {
        String digits = waId.replaceAll("[^0-9]", "");
        Random random = new Random(mix(options.seed(), digits.hashCode()));
        double total = options.habits().stream().mapToDouble(Habit::share).sum();
        double pick = random.nextDouble() * total;
        Habit habit = options.habits().get(options.habits().size() - 1);
        for (Habit h : options.habits()) {
            pick -= h.share();
            if (pick < 0) {
                habit = h;
                break;
            }
        }
        int hour = habit.fromHour() + random.nextInt(habit.toHour() - habit.fromHour() + 1);
        boolean receiptsOn = random.nextDouble() >= options.receiptsOff();
        String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
        return new Customer(digits, name, habit.name(), hour, receiptsOn);
    }

    /** A well-spread seed from two numbers (SplitMix64's finaliser): near seeds give unrelated first draws. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** When a message delivered at {@code delivered} is read, or null when it is not; from the message's own draw. */
    Instant readAt(Customer customer, Instant delivered, Random fate) {
        double draw = fate.nextDouble();
        if (draw < options.ignore()) {
            return null;
        }
        long delayMillis = 1000 + (long) (fate.nextDouble() * Math.max(1, options.readDelay().toMillis() - 1000));
        if (draw < options.ignore() + options.prompt()) {
            return delivered.plusMillis(delayMillis);
        }
        ZoneId zone = simulator.zone();
        ZonedDateTime local = delivered.atZone(zone);
        ZonedDateTime habitual = local.truncatedTo(ChronoUnit.HOURS).withHour(customer.readHour()).plusMinutes(fate.nextInt(60))
                .plusSeconds(fate.nextInt(60));
        if (local.getHour() == customer.readHour() && !habitual.isAfter(local)) {
            return delivered.plusMillis(delayMillis); // in their hour already: soon
        }
        if (!habitual.isAfter(local)) {
            habitual = habitual.plusDays(1);
        }
        return habitual.toInstant();
    }

    private void received(CloudApiSimulator.Sent message) {
        messages.incrementAndGet();
        Customer customer = customer(message.to());
        int n = messagesPerCustomer.computeIfAbsent(customer.waId(), k -> new AtomicInteger()).incrementAndGet();
        Random fate = new Random(mix(mix(options.seed(), customer.waId().hashCode()), n));
        Instant read = readAt(customer, message.at().plusMillis(60), fate);
        if (read == null) {
            return;
        }
        // every decision is drawn now, so that the n-th message's fate does not depend on timing
        boolean stop = fate.nextDouble() < options.stop();
        boolean click = fate.nextDouble() < options.click();
        boolean order = fate.nextDouble() < options.order();
        boolean reply = fate.nextDouble() < options.reply();
        boolean csat = fate.nextDouble() < options.csat();
        int score = new int[] {5, 5, 5, 4, 4, 3, 2, 1}[fate.nextInt(8)];
        String replyText = REPLIES[fate.nextInt(REPLIES.length)];
        long reactAfter = (long) (fate.nextDouble() * options.reactionDelay().toMillis());
        long orderAfter = (long) (fate.nextDouble() * options.reactionDelay().toMillis());
        at(read, () -> {
            reads.incrementAndGet();
            if (customer.readReceipts()) {
                receipts.incrementAndGet();
                simulator.customerReads(message, read);
            }
        });
        Instant reaction = read.plusMillis(reactAfter);
        at(reaction, () -> {
            if (stop) {
                stop(customer, message);
                return;
            }
            String link = link(message.body());
            if (click && link != null && clicked(link)) {
                if (order && options.shopWebhook() != null) {
                    at(Instant.now().plusMillis(orderAfter), () -> order(customer, message));
                }
            }
            if (reply) {
                replies.incrementAndGet();
                simulator.customerSays(customer.waId(), customer.name(), replyText);
            }
            if (csat && quickReplyPayload(message.body(), "(?i)csat.*") != null) {
                csatAnswers.incrementAndGet();
                simulator.customerTaps(customer.waId(), customer.name(), "csat_" + score, score + " ⭐", message.wamid());
            }
        });
    }

    private void stop(Customer customer, CloudApiSimulator.Sent message) {
        stops.incrementAndGet();
        String payload = quickReplyPayload(message.body(), "(?i).*stop.*");
        if (payload != null) {
            simulator.customerTapsTemplateButton(customer.waId(), customer.name(), payload, "Bu mesajları durdur", message.wamid());
        } else {
            simulator.customerSays(customer.waId(), customer.name(), "STOP");
        }
    }

    /** The message's link: a template's URL button (its parameter after {@code linkBase}) or the first URL in a text. */
    String link(JsonNode body) {
        for (JsonNode component : body.path("template").path("components")) {
            if ("url".equals(component.path("sub_type").asText()) && options.linkBase() != null) {
                String suffix = component.path("parameters").path(0).path("text").asText("");
                if (!suffix.isEmpty()) {
                    return options.linkBase() + suffix;
                }
            }
        }
        Matcher url = URL_IN_TEXT.matcher(body.path("text").path("body").asText(""));
        return url.find() ? url.group() : null;
    }

    /** The payload of a template quick-reply button matching {@code regex}, or null. */
    static String quickReplyPayload(JsonNode body, String regex) {
        for (JsonNode component : body.path("template").path("components")) {
            if ("quick_reply".equals(component.path("sub_type").asText())) {
                String payload = component.path("parameters").path(0).path("payload").asText("");
                if (payload.matches(regex)) {
                    return payload;
                }
            }
        }
        return null;
    }

    private boolean clicked(String link) {
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(link)).timeout(Duration.ofSeconds(10))
                    .header("User-Agent", PHONE_USER_AGENT).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 == 3 || answer.statusCode() == 200) {
                clicks.incrementAndGet();
                return true;
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("[crowd] a link did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The customer orders in the shop; the shop tells Sohbet (a signed {@code order.paid}). */
    private void order(Customer customer, CloudApiSimulator.Sent message) {
        String id = "crowd-order-" + Integer.toHexString(message.wamid().hashCode());
        int total = 100 + Math.floorMod(message.wamid().hashCode(), 900);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", "order.paid");
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("customer", Map.of("phone", "+" + customer.waId()));
        event.put("order", Map.of("id", id, "total", total, "currency", "TRY", "items",
                List.of(Map.of("sku", "SKU-" + total % 7, "category", "giyim", "quantity", 1, "unitPrice", total))));
        try {
            byte[] body = JSON.writeValueAsBytes(event);
            HttpResponse<Void> answer = http.send(ShopSignature.signed(HttpRequest.newBuilder(options.shopWebhook())
                            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json"),
                            options.shopSecret() == null ? "" : options.shopSecret(), body)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 200) {
                orders.incrementAndGet();
            } else {
                System.err.println("[crowd] the shop webhook answered " + answer.statusCode());
            }
        } catch (IOException e) {
            System.err.println("[crowd] the shop webhook did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void at(Instant when, Runnable action) {
        long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis());
        scheduler.schedule(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("[crowd] a reaction failed: " + e);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The options as command-line flags, for the usage text. */
    public static String usage() {
        return String.join("\n",
                "  --seed N                  customers and their fates (default 1)",
                "  --habits LIST             name:share:from-to,... habitual read hours (default morning:0.3:8-9,lunch:0.2:12-13,evening:0.5:19-20)",
                "  --zone ZONE               time zone of the habitual hours (default Europe/Istanbul)",
                "  --receipts-off SHARE      customers who send no read receipts (default 0.1)",
                "  --ignore P                messages never read (default 0.15)",
                "  --prompt P                messages read within --read-delay, whatever the hour (default 0.2)",
                "  --read-delay DURATION     ISO-8601, e.g. PT2M (default)",
                "  --reaction-delay DURATION between a read and the reactions, at most (default PT1M)",
                "  --click P --order P --reply P --csat P --stop P",
                "                            after a read: tap the link; order after a click; write back; answer CSAT; stop",
                "                            (defaults 0.35, 0.3, 0.1, 0.3, 0.02)",
                "  --link-base URL           where a template's URL button parameter leads (default http://localhost:8081/l/)",
                "  --shop-webhook URL        where orders go (default http://localhost:8081/webhooks/commerce; none: no orders)",
                "  --shop-secret SECRET      signs them (default the local run's)");
    }

    /**
     * Reads the crowd's flags from {@code args} (others are left for the caller) over {@code base}; throws
     * IllegalArgumentException with a readable message.
     */
    public static Options parse(List<String> args, Options base) {
        Map<String, String> flags = flags(args);
        try {
            List<Habit> habits = flags.containsKey("--habits") ? habits(flags.get("--habits")) : base.habits();
            String shop = flags.getOrDefault("--shop-webhook", base.shopWebhook() == null ? "none" : base.shopWebhook().toString());
            String linkBase = flags.getOrDefault("--link-base", base.linkBase() == null ? "none" : base.linkBase().toString());
            return new Options(Long.parseLong(flags.getOrDefault("--seed", String.valueOf(base.seed()))), habits,
                    share(flags, "--receipts-off", base.receiptsOff()), share(flags, "--ignore", base.ignore()),
                    share(flags, "--prompt", base.prompt()), share(flags, "--click", base.click()), share(flags, "--order", base.order()),
                    share(flags, "--reply", base.reply()), share(flags, "--csat", base.csat()), share(flags, "--stop", base.stop()),
                    flags.containsKey("--read-delay") ? Duration.parse(flags.get("--read-delay")) : base.readDelay(),
                    flags.containsKey("--reaction-delay") ? Duration.parse(flags.get("--reaction-delay")) : base.reactionDelay(),
                    linkBase.equals("none") ? null : URI.create(linkBase), shop.equals("none") ? null : URI.create(shop),
                    flags.getOrDefault("--shop-secret", base.shopSecret()));
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("cannot read an option: " + e.getMessage());
        }
    }

    /** The crowd's command-line flags, each followed by a value (or as {@code --flag=value}). */
    public static final List<String> FLAGS = List.of("--seed", "--habits", "--zone", "--receipts-off", "--ignore", "--prompt",
            "--read-delay", "--reaction-delay", "--click", "--order", "--reply", "--csat", "--stop", "--link-base", "--shop-webhook",
            "--shop-secret");

    /** The time zone of the habitual hours ({@code --zone}, default Europe/Istanbul); the simulator's {@link CloudApiSimulator#zone}. */
    public static ZoneId zone(List<String> args) {
        String zone = flags(args).getOrDefault("--zone", "Europe/Istanbul");
        try {
            return ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone " + zone);
        }
    }

    /** The crowd's flags and their values. */
    static Map<String, String> flags(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String key = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!FLAGS.contains(key)) {
                continue;
            }
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : null;
            if (value == null) {
                throw new IllegalArgumentException(key + " needs a value");
            }
            out.put(key, value);
        }
        return out;
    }

    static List<Habit> habits(String text) {
        List<Habit> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] f = part.trim().split(":");
            String[] hours = f.length == 3 ? f[2].split("-") : new String[0];
            if (f.length != 3 || hours.length != 2) {
                throw new IllegalArgumentException("a habit is name:share:from-to (e.g. evening:0.5:19-20), got " + part);
            }
            out.add(new Habit(f[0], Double.parseDouble(f[1]), Integer.parseInt(hours[0]), Integer.parseInt(hours[1])));
        }
        return out;
    }

    private static double share(Map<String, String> flags, String key, double fallback) {
        return flags.containsKey(key) ? Double.parseDouble(flags.get(key)) : fallback;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
