package io.sohbet.devstack.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The simulator's customers: habits from a seed, reads at the habitual hour, history, reactions, and the flags. */
class CrowdTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();
    final List<String> clicks = new CopyOnWriteArrayList<>();
    final List<JsonNode> orders = new CopyOnWriteArrayList<>();
    HttpServer receiver;
    CloudApiSimulator simulator;
    Crowd crowd;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/webhooks/whatsapp", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean signed = CloudApiSimulator.sign("local-app-secret", body).equals(exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"));
            if (signed) {
                webhooks.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(signed ? 200 : 401, -1);
            exchange.close();
        });
        receiver.createContext("/l/", exchange -> {
            clicks.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("User-Agent"));
            exchange.getResponseHeaders().add("Location", "https://shop.example/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        receiver.createContext("/webhooks/commerce", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst(ShopSignature.TIMESTAMP);
            boolean signed = timestamp != null && ShopSignature.sign("shop-secret", Long.parseLong(timestamp), body)
                    .equals(exchange.getRequestHeaders().getFirst(ShopSignature.SIGNATURE));
            if (signed) {
                orders.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(signed ? 200 : 401, -1);
            exchange.close();
        });
        receiver.start();
        simulator = CloudApiSimulator.start(CloudApiSimulator.Config.local(url("/webhooks/whatsapp")), 0);
    }

    URI url(String path) {
        return URI.create("http://localhost:" + receiver.getAddress().getPort() + path);
    }

    @AfterEach
    void stop() {
        if (crowd != null) {
            crowd.close();
        }
        simulator.close();
        receiver.stop(0);
    }

    /** Read at once, no receipts off, everything after the read certain unless {@code stop}. */
    Crowd.Options eager(boolean stop) {
        return new Crowd.Options(7, List.of(new Crowd.Habit("evening", 1, 20, 20)), 0, 0, 1, 1, 1, 1, 1, stop ? 1 : 0,
                Duration.ofMillis(1500), Duration.ofMillis(200), url("/l/"), url("/webhooks/commerce"), "shop-secret");
    }

    String sendTemplate(String to) throws Exception {
        return sendTemplate(simulator, to);
    }

    String sendTemplate(CloudApiSimulator via, String to) throws Exception {
        String body = "{\"messaging_product\":\"whatsapp\",\"to\":\"+" + to + "\",\"type\":\"template\",\"biz_opaque_callback_data\":\"sohbet:42\","
                + "\"template\":{\"name\":\"kis_indirimi_a\",\"language\":{\"code\":\"tr\"},\"components\":["
                + "{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ayşe\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"url\",\"index\":\"0\",\"parameters\":[{\"type\":\"text\",\"text\":\"TOKEN123\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"1\",\"parameters\":[{\"type\":\"payload\",\"payload\":\"csat_ask\"}]},"
                + "{\"type\":\"button\",\"sub_type\":\"quick_reply\",\"index\":\"2\",\"parameters\":[{\"type\":\"payload\",\"payload\":\"STOP_PROMOTIONS\"}]}]}}";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(via.baseUrl().resolve("/v23.0/106540352242922/messages"))
                .header("Authorization", "Bearer local-access-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).at("/messages/0/id").asText();
    }

    List<JsonNode> await(Predicate<List<JsonNode>> done, List<JsonNode> source) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!done.test(source) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return source;
    }

    static List<JsonNode> statuses(List<JsonNode> webhooks, String wamid) {
        return webhooks.stream().map(w -> w.at("/entry/0/changes/0/value/statuses/0")).filter(s -> wamid.equals(s.path("id").asText())).toList();
    }

    static List<JsonNode> messages(List<JsonNode> webhooks) {
        return webhooks.stream().map(w -> w.at("/entry/0/changes/0/value/messages/0")).filter(m -> !m.isMissingNode()).toList();
    }

    @Test
    void aHistoryMessagesStatusesCarryPastTimesAndItsReadTheHabitualHourOfThatDay() throws Exception {
        simulator.script("905321112233", new CloudApiSimulator.History(Duration.ofDays(14), 20));
        simulator.script("905321112244", new CloudApiSimulator.History(Duration.ofDays(7), null));
        Instant now = Instant.now();
        String read = sendTemplate("905321112233");
        String unread = sendTemplate("905321112244");
        await(w -> statuses(w, read).size() == 3 && statuses(w, unread).size() == 2, webhooks);
        Thread.sleep(300);
        Map<String, Instant> times = new java.util.HashMap<>();
        statuses(webhooks, read).forEach(s -> times.put(s.path("status").asText(), Instant.ofEpochSecond(s.path("timestamp").asLong())));
        assertThat(times.keySet()).containsExactlyInAnyOrder("sent", "delivered", "read");
        assertThat(Duration.between(times.get("sent"), now).toHours()).isBetween(335L, 336L);
        assertThat(times.get("read")).isAfter(times.get("delivered")).isBefore(times.get("delivered").plus(Duration.ofDays(1)));
        assertThat(times.get("read").atZone(ISTANBUL).getHour()).as("read at the customer's habitual hour").isEqualTo(20);
        assertThat(statuses(webhooks, read)).allMatch(s -> s.path("biz_opaque_callback_data").asText().equals("sohbet:42"));
        assertThat(statuses(webhooks, unread)).extracting(s -> s.path("status").asText()).containsExactlyInAnyOrder("sent", "delivered");
        assertThatThrownBy(() -> new CloudApiSimulator.History(Duration.ofHours(5), 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameSeedGivesTheSameCustomersWithTheirHabitsInTheirShares() {
        Crowd.Options options = Crowd.Options.defaults();
        Crowd one = Crowd.attach(simulator, options);
        CloudApiSimulator second = CloudApiSimulator.start(CloudApiSimulator.Config.local(null), 0);
        Crowd again = Crowd.attach(second, options);
        List<Crowd.Customer> customers = IntStream.range(0, 2000).mapToObj(i -> one.customer("90530" + (1_000_000 + i))).toList();
        assertThat(IntStream.range(0, 2000).mapToObj(i -> again.customer("+90 530 " + (1_000_000 + i))).toList()).isEqualTo(customers);
        for (Crowd.Habit habit : options.habits()) {
            List<Crowd.Customer> with = customers.stream().filter(c -> c.habit().equals(habit.name())).toList();
            assertThat(with.size() / 2000.0).as(habit.name()).isCloseTo(habit.share(), within(0.04));
            assertThat(with).allMatch(c -> c.readHour() >= habit.fromHour() && c.readHour() <= habit.toHour());
            assertThat(with.stream().map(Crowd.Customer::readHour).distinct().count()).isEqualTo(habit.toHour() - habit.fromHour() + 1);
        }
        assertThat(customers.stream().filter(c -> !c.readReceipts()).count() / 2000.0).isCloseTo(options.receiptsOff(), within(0.03));
        Crowd other = Crowd.attach(simulator, Crowd.parse(List.of("--seed", "8"), options));
        assertThat(IntStream.range(0, 2000).mapToObj(i -> other.customer("90530" + (1_000_000 + i))).toList()).isNotEqualTo(customers);
        one.close();
        again.close();
        second.close();
        other.close();
    }

    @Test
    void aMessageIsReadAtTheCustomersNextHabitualHour() {
        crowd = Crowd.attach(simulator, Crowd.parse(List.of("--ignore", "0", "--prompt", "0", "--read-delay", "PT2M"), Crowd.Options.defaults()));
        Crowd.Customer evening = new Crowd.Customer("905321112233", "Ayşe Yılmaz", "evening", 20, true);
        ZonedDateTime morning = ZonedDateTime.of(2026, 11, 23, 10, 15, 0, 0, ISTANBUL);
        for (int n = 0; n < 50; n++) {
            Random fate = new Random(n);
            assertThat(crowd.readAt(evening, morning.toInstant(), fate).atZone(ISTANBUL)).satisfies(t -> {
                assertThat(t.getHour()).isEqualTo(20);
                assertThat(t.toLocalDate()).isEqualTo(morning.toLocalDate());
            });
            Instant late = morning.withHour(22).toInstant();
            assertThat(crowd.readAt(evening, late, new Random(n)).atZone(ISTANBUL)).satisfies(t -> {
                assertThat(t.getHour()).isEqualTo(20);
                assertThat(t.toLocalDate()).isEqualTo(morning.toLocalDate().plusDays(1));
            });
            Instant inTheirHour = morning.withHour(20).withMinute(59).withSecond(30).toInstant();
            assertThat(Duration.between(inTheirHour, crowd.readAt(evening, inTheirHour, new Random(n)))).as("already in their hour: soon")
                    .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2));
        }
        Crowd never = Crowd.attach(simulator, Crowd.parse(List.of("--ignore", "1", "--prompt", "0"), Crowd.Options.defaults()));
        assertThat(never.readAt(evening, morning.toInstant(), new Random(1))).isNull();
        never.close();
    }

    @Test
    void afterReadingCustomersClickOrderReplyAndAnswerTheSurvey() throws Exception {
        crowd = Crowd.attach(simulator, eager(false));
        String wamid = sendTemplate("905321112233");
        await(w -> statuses(w, wamid).size() == 3 && messages(w).size() == 2, webhooks);
        await(o -> o.size() == 1, orders);
        assertThat(statuses(webhooks, wamid)).extracting(s -> s.path("status").asText()).containsExactlyInAnyOrder("sent", "delivered", "read");
        assertThat(clicks).containsExactly("/l/TOKEN123 Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36");
        assertThat(messages(webhooks)).extracting(m -> m.path("type").asText()).containsExactlyInAnyOrder("text", "interactive");
        JsonNode csat = messages(webhooks).stream().filter(m -> m.path("type").asText().equals("interactive")).findFirst().orElseThrow();
        assertThat(csat.at("/interactive/button_reply/id").asText()).matches("csat_[1-5]");
        assertThat(csat.at("/context/id").asText()).isEqualTo(wamid);
        assertThat(orders.get(0).path("type").asText()).isEqualTo("order.paid");
        assertThat(orders.get(0).at("/customer/phone").asText()).isEqualTo("+905321112233");
        // the crowd counts an order once the shop answered it, which can be just after our shop stand-in got it
        Crowd.Counts expected = new Crowd.Counts(1, 1, 1, 1, 1, 1, 1, 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!crowd.counts().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(crowd.counts()).isEqualTo(expected);
        // a scripted recipient is the script's, not the crowd's
        simulator.script("905321119999", new CloudApiSimulator.Deliver(null));
        sendTemplate("905321119999");
        Thread.sleep(2500);
        assertThat(crowd.counts().messages()).isEqualTo(1);
    }

    @Test
    void aStopperTapsTheTemplatesStopButtonAndNothingElse() throws Exception {
        crowd = Crowd.attach(simulator, eager(true));
        String wamid = sendTemplate("905321112233");
        await(w -> messages(w).size() == 1, webhooks);
        Thread.sleep(500);
        assertThat(messages(webhooks)).singleElement().satisfies(m -> {
            assertThat(m.path("type").asText()).isEqualTo("button");
            assertThat(m.at("/button/payload").asText()).isEqualTo("STOP_PROMOTIONS");
            assertThat(m.at("/context/id").asText()).isEqualTo(wamid);
        });
        assertThat(clicks).isEmpty();
        assertThat(orders).isEmpty();
    }

    @Test
    void flagsAreReadAndWrongOnesRefusedWithAReason() {
        Crowd.Options options = Crowd.parse(List.of("--seed", "42", "--habits", "night:1:22-23", "--click=0.5", "--read-delay", "PT10S",
                "--shop-webhook", "none", "--demo"), Crowd.Options.defaults());
        assertThat(options.seed()).isEqualTo(42);
        assertThat(options.habits()).containsExactly(new Crowd.Habit("night", 1, 22, 23));
        assertThat(options.click()).isEqualTo(0.5);
        assertThat(options.readDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.shopWebhook()).isNull();
        List<List<String>> wrong = new ArrayList<>(List.of(List.of("--click", "1.5"), List.of("--habits", "evening:0.5:19"),
                List.of("--habits", "evening:0.5:20-19"), List.of("--read-delay", "10s"), List.of("--seed", "x"), List.of("--stop"),
                List.of("--ignore", "0.9", "--prompt", "0.2"), List.of("--zone", "Mars/Olympus")));
        for (List<String> args : wrong) {
            assertThatThrownBy(() -> {
                Crowd.parse(args, Crowd.Options.defaults());
                Crowd.zone(args);
            }).as(args.toString()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StandaloneSimulator.start(List.of("--port", "0", "--frobnicate"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--frobnicate");
    }

    @Test
    void theStandaloneSimulatorServesTheCloudApiAndPlaysItsCrowd() throws Exception {
        try (StandaloneSimulator.Running running = StandaloneSimulator.start(List.of("--port", "0", "--webhook-url",
                url("/webhooks/whatsapp").toString(), "--seed", "3", "--ignore", "0", "--prompt", "1", "--read-delay", "PT1.2S", "--reaction-delay", "PT0.2S",
                "--receipts-off", "0", "--stop", "0", "--click", "1", "--order", "0", "--link-base", url("/l/").toString()))) {
            String wamid = sendTemplate(running.simulator(), "905321112233");
            await(w -> statuses(w, wamid).size() == 3, webhooks);
            assertThat(statuses(webhooks, wamid)).extracting(s -> s.path("status").asText()).contains("read");
            long deadline = System.currentTimeMillis() + 5000;
            while (clicks.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(clicks).hasSize(1);
            assertThat(running.crowd().counts().reads()).isEqualTo(1);
        }
    }
}
