package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.metrics.service.EngagementFacts;
import io.sohbet.metrics.service.ErasureFolding;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random event streams against an independent model of domain.md §2, seeded: several overlapping campaigns with two
 * variants and three message types, read receipts off for about a third of the people, clicks (repeated), replies
 * (quoting the message or not; some are survey answers, by the survey's button id or by a score in a row's title, which
 * counts only in answer to the first campaign, a CSAT survey), orders (some cancelled, some long after the touch), opt-outs; every event may come
 * twice, all arrive shuffled and are written many at a time; one person is erased in the middle of the stream (the fold
 * runs between two writes; their later events are dropped, as the erasure check drops them). Then every figure of
 * every campaign, overall, per variant, per message type and per send window, and its CSAT, equals the model's, every
 * rate is within 0–100 %, and the A/B view answers 200 on every metric with the model's arms and p-value.
 * <p>
 * {@code -Dmetrics.property.seeds=N} (default 20) seeds from {@code -Dmetrics.property.first-seed} (default 1);
 * {@code -Dmetrics.property.subjects} (default 200) people per seed, about 2,200 events.
 */
@QuarkusTest
class MetricsPropertyTest {

    static final int SEEDS = Integer.getInteger("metrics.property.seeds", 20);
    static final long FIRST_SEED = Long.getLong("metrics.property.first-seed", 1L);
    static final int SUBJECTS = Integer.getInteger("metrics.property.subjects", 200);
    static final int CAMPAIGNS = 3;
    static final int IN_FLIGHT = 16;
    static final Duration ATTRIBUTION = Duration.ofDays(7);
    static final Duration REPLY = Duration.ofDays(3);
    static final List<String> TYPES = List.of("template", "image", "interactive");
    static final MessageIds IDS = MessageIds.withKey("dev-message-id-key-not-for-production");

    /** Rates and p-values as JSON has them, not rounded to floats. */
    static final io.restassured.config.RestAssuredConfig DOUBLES = io.restassured.config.RestAssuredConfig.config().jsonConfig(
            io.restassured.config.JsonConfig.jsonConfig().numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));

    @Inject
    EngagementFacts engagement;

    @Inject
    ErasureFolding folding;

    @Inject
    Pool pool;

    // ---- the stream ----

    sealed interface Event permits Msg, Status, Click, Order, Reply, OptOut {
        String subject();
    }

    /** {@code survey}: the message asks the CSAT question (the first campaign's messages do). */
    record Msg(String subject, String wamid, String campaign, String variant, String type, Instant sentAt, boolean survey)
            implements Event {
    }

    record Status(String subject, String wamid, String status, Instant at, Integer error) implements Event {
    }

    record Click(String subject, String id, String campaign, String variant, Instant at) implements Event {
    }

    record Order(String subject, String orderId, String type, Instant at) implements Event {
    }

    /**
     * {@code answer}: 0 a text, 1 a tap on the survey's button {@code csat_<score>} (counts whatever it answers), 2 a tap on
     * a row titled {@code <score>} (counts only when it answers a survey message).
     */
    record Reply(String subject, String wamid, String context, Instant at, int answer, int score) implements Event {
    }

    record OptOut(String subject, String id, Instant at) implements Event {
    }

    /** Times never repeat: a tie would leave "the latest" to a tie-break the model would have to copy. */
    static final class Clock {
        private long sequence;

        Instant at(Instant base, long seconds) {
            return base.plusSeconds(seconds).plusMillis(++sequence);
        }
    }

    static List<Event> stream(Random random, String run, Instant base) {
        List<Event> out = new ArrayList<>();
        Clock clock = new Clock();
        for (int s = 0; s < SUBJECTS; s++) {
            String subject = run + "p" + s + "subject";
            boolean receipts = random.nextInt(3) != 0;
            for (int c = 0; c < CAMPAIGNS; c++) {
                if (random.nextInt(10) >= 7) {
                    continue;
                }
                String campaign = run + "-c" + c;
                String wamid = "wamid.prop." + run + "." + s + "." + c;
                String variant = random.nextBoolean() ? "A" : "B";
                Instant sent = clock.at(base, c * 2L * 86_400 + random.nextInt(3600)); // campaigns two days apart overlap
                out.add(new Msg(subject, wamid, campaign, variant, TYPES.get(random.nextInt(TYPES.size())), sent, c == 0));
                if (random.nextInt(10) < 9) {
                    out.add(new Status(subject, wamid, "sent", clock.at(sent, 1), null));
                }
                boolean delivered = random.nextInt(20) < 17;
                if (delivered) {
                    out.add(new Status(subject, wamid, "delivered", clock.at(sent, 5 + random.nextInt(600)), null));
                } else if (random.nextBoolean()) {
                    out.add(new Status(subject, wamid, "failed", clock.at(sent, 3), random.nextBoolean() ? 131049 : 131026));
                }
                boolean acts = delivered && random.nextInt(10) < 6;
                if (acts && receipts && random.nextInt(10) < 8) {
                    out.add(new Status(subject, wamid, "read", clock.at(sent, 60 + random.nextInt(86_400)), null));
                }
                if (acts && random.nextInt(10) < 5) {
                    for (int k = 1 + random.nextInt(3); k > 0; k--) {
                        out.add(new Click(subject, "click:" + wamid + ":" + k, campaign, variant,
                                clock.at(sent, 120 + random.nextInt(5 * 86_400))));
                    }
                }
                if (acts && random.nextInt(10) < 3) {
                    boolean quotes = random.nextBoolean();
                    out.add(new Reply(subject, "in." + wamid, quotes ? wamid : null,
                            clock.at(sent, 100 + random.nextInt(quotes ? 6 * 86_400 : 4 * 86_400)), random.nextInt(3),
                            1 + random.nextInt(5)));
                }
            }
            for (int o = random.nextInt(3); o > 0; o--) {
                String order = run + "-o" + s + "-" + o;
                Instant at = clock.at(base, random.nextInt(16 * 86_400));
                out.add(new Order(subject, order, "order.created", at));
                if (random.nextInt(4) == 0) {
                    out.add(new Order(subject, order, "order.paid", clock.at(at, 30)));
                }
                if (random.nextInt(8) == 0) {
                    out.add(new Order(subject, order, "order.cancelled", clock.at(at, 3600)));
                }
            }
            if (random.nextInt(25) == 0) {
                out.add(new OptOut(subject, "consent:" + run + s, clock.at(base, random.nextInt(10 * 86_400))));
            }
        }
        return out;
    }

    // ---- the model (domain.md §2, computed here without SQL) ----

    static final class Message {
        final Msg msg;
        Instant sent;
        Instant delivered;
        Instant read;
        Instant failed;
        boolean clicked;
        boolean replied;
        boolean converted;
        boolean optedOut;
        /** The CSAT scores of the answers credited to this message that count. */
        final List<Integer> csat = new ArrayList<>();

        Message(Msg msg) {
            this.msg = msg;
        }

        Instant at() {
            return sent != null ? sent : delivered != null ? delivered : read;
        }

        boolean opened() {
            return read != null || clicked || replied || converted;
        }

        boolean deliveredOrOpened() {
            return delivered != null || read != null || opened();
        }

        boolean failedOnly() {
            return failed != null && !deliveredOrOpened();
        }
    }

    record Group(long sent, long delivered, long read, long opened, long failed, long recipients, long readers, long clicked,
            long converted, long optedOut, long replied, long engaged) {
    }

    static Map<String, Message> model(List<Event> applied) {
        Map<String, Instant[]> statuses = new HashMap<>();
        Map<String, Message> messages = new HashMap<>();
        for (Event e : applied) {
            if (e instanceof Msg m) {
                messages.putIfAbsent(m.wamid(), new Message(m));
            } else if (e instanceof Status s) {
                Instant[] times = statuses.computeIfAbsent(s.wamid(), w -> new Instant[4]);
                int i = List.of("sent", "delivered", "read", "failed").indexOf(s.status());
                times[i] = times[i] == null || s.at().isBefore(times[i]) ? s.at() : times[i];
            }
        }
        for (Message m : messages.values()) {
            Instant[] t = statuses.getOrDefault(m.msg.wamid(), new Instant[4]);
            m.sent = t[0] == null || m.msg.sentAt().isBefore(t[0]) ? m.msg.sentAt() : t[0];
            m.delivered = t[1];
            m.read = t[2];
            m.failed = t[3];
        }
        Map<String, List<Message>> bySubject = new HashMap<>();
        messages.values().forEach(m -> bySubject.computeIfAbsent(m.msg.subject(), s -> new ArrayList<>()).add(m));
        Set<String> clicks = new HashSet<>();
        Map<String, Instant> orders = new HashMap<>();
        Map<String, String> orderSubjects = new HashMap<>();
        Set<String> cancelled = new HashSet<>();
        List<Click> allClicks = new ArrayList<>();
        for (Event e : applied) {
            if (e instanceof Click c) {
                clicks.add(c.subject() + "|" + c.campaign());
                allClicks.add(c);
            } else if (e instanceof Order o) {
                orderSubjects.put(o.orderId(), o.subject());
                if (o.type().equals("order.cancelled")) {
                    cancelled.add(o.orderId());
                }
                orders.merge(o.orderId(), o.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        messages.values().forEach(m -> m.clicked = clicks.contains(m.msg.subject() + "|" + m.msg.campaign()));
        // replies: the quoted message, else the latest campaign message sent within the reply window before
        Set<String> answered = new HashSet<>(); // a reply delivered twice is stored once
        for (Event e : applied) {
            if (e instanceof Reply r && answered.add(r.wamid())) {
                List<Message> own = bySubject.getOrDefault(r.subject(), List.of());
                Message quoted = own.stream().filter(m -> m.msg.wamid().equals(r.context())).findFirst()
                        .orElseGet(() -> latest(own, Message::at, r.at(), REPLY));
                if (quoted != null) {
                    quoted.replied = true;
                    // CSAT: the survey's button counts whatever it answers; a score in a title only answering a survey
                    if (r.answer() == 1 || r.answer() == 2 && quoted.msg.survey()) {
                        quoted.csat.add(r.score());
                    }
                }
            } else if (e instanceof OptOut x) {
                Message last = latest(bySubject.getOrDefault(x.subject(), List.of()), Message::at, x.at(), ATTRIBUTION);
                if (last != null) {
                    last.optedOut = true;
                }
            }
        }
        // conversions: the latest read or click of a campaign message before the order, if within the window
        Map<String, List<Map.Entry<Message, Instant>>> touches = new HashMap<>();
        for (Message m : messages.values()) {
            if (m.read != null) {
                touches.computeIfAbsent(m.msg.subject(), s -> new ArrayList<>()).add(Map.entry(m, m.read));
            }
        }
        for (Click c : allClicks) {
            for (Message m : bySubject.getOrDefault(c.subject(), List.of())) {
                if (m.msg.campaign().equals(c.campaign())) {
                    touches.computeIfAbsent(c.subject(), s -> new ArrayList<>()).add(Map.entry(m, c.at()));
                }
            }
        }
        orders.forEach((order, at) -> {
            if (cancelled.contains(order)) {
                return;
            }
            touches.getOrDefault(orderSubjects.get(order), List.of()).stream().filter(t -> !t.getValue().isAfter(at))
                    .max(Map.Entry.comparingByValue())
                    .filter(t -> t.getValue().isAfter(at.minus(ATTRIBUTION)))
                    .ifPresent(t -> t.getKey().converted = true);
        });
        return messages;
    }

    /** The message with the latest time in (at - window, at], or null. */
    static Message latest(List<Message> candidates, Function<Message, Instant> time, Instant at, Duration window) {
        return candidates.stream().filter(m -> time.apply(m) != null && !time.apply(m).isAfter(at)
                && time.apply(m).isAfter(at.minus(window))).max(Comparator.comparing(time)).orElse(null);
    }

    static Map<String, Group> groups(List<Message> messages, Function<Message, String> dimension) {
        Map<String, List<Message>> by = new TreeMap<>();
        messages.forEach(m -> by.computeIfAbsent(dimension.apply(m), d -> new ArrayList<>()).add(m));
        Map<String, Group> out = new LinkedHashMap<>();
        by.forEach((d, ms) -> out.put(d, new Group(ms.size(), count(ms, Message::deliveredOrOpened), count(ms, m -> m.read != null),
                count(ms, Message::opened), count(ms, Message::failedOnly), people(ms, m -> true), people(ms, Message::opened),
                people(ms, m -> m.clicked), people(ms, m -> m.converted), people(ms, m -> m.optedOut), people(ms, m -> m.replied),
                people(ms, m -> m.replied || m.clicked))));
        return out;
    }

    static long count(List<Message> ms, Predicate<Message> p) {
        return ms.stream().filter(p).count();
    }

    static long people(List<Message> ms, Predicate<Message> p) {
        return ms.stream().filter(p).map(m -> m.msg.subject()).distinct().count();
    }

    static Double percent(long part, long whole) {
        return whole == 0 ? null : new BigDecimal(part * 100).divide(new BigDecimal(whole), 2, RoundingMode.HALF_UP).doubleValue();
    }

    // ---- the run ----

    @Test
    void everyFigureEqualsTheModelsOverManySeeds() throws Throwable {
        List<String> differences = new ArrayList<>();
        long events = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            events += runSeed(seed, differences);
        }
        System.out.printf("metrics property test: %d seeds, %d events written%n", SEEDS, events);
        assertThat(differences).as("differences from the model").isEmpty();
    }

    long runSeed(long seed, List<String> differences) throws Throwable {
        Random random = new Random(seed);
        String run = "pt" + Long.toHexString(System.nanoTime()) + "s" + seed;
        Instant base = Instant.parse("2031-01-05T06:00:00Z").plus(Duration.ofDays(40 * seed));
        List<Event> events = stream(random, run, base);
        List<Event> arrivals = new ArrayList<>(events);
        arrivals.addAll(events.stream().filter(e -> random.nextInt(5) == 0).toList()); // duplicates
        Collections.shuffle(arrivals, random);
        String erased = events.get(random.nextInt(events.size())).subject();
        int cut = random.nextInt(arrivals.size());

        long started = System.nanoTime();
        List<Event> applied = new ArrayList<>();
        write(arrivals.subList(0, cut), applied, random);
        VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> folding.fold(tx, erased)).replaceWithVoid());
        write(arrivals.subList(cut, arrivals.size()).stream().filter(e -> !e.subject().equals(erased)).toList(), applied, random);

        long written = System.nanoTime();
        Map<String, Message> model = model(applied);
        for (int c = 0; c < CAMPAIGNS; c++) {
            String campaign = run + "-c" + c;
            List<Message> ms = model.values().stream().filter(m -> m.msg.campaign().equals(campaign)).toList();
            for (String metric : List.of("click-through", "open", "conversion", "engagement")) {
                Response r = given().config(DOUBLES).auth().oauth2(MetricsResourceTest.analyst()).queryParam("metric", metric)
                        .when().get("/api/metrics/campaigns/" + campaign);
                if (r.statusCode() != 200) {
                    differences.add("seed " + seed + " " + campaign + " " + metric + ": status " + r.statusCode());
                    continue;
                }
                String where = "seed " + seed + " " + campaign + " ";
                if (metric.equals("click-through")) {
                    compare(where + "overall", groups(ms, m -> "all").get("all"), r.path("overall"), differences);
                    compareAll(where + "variant ", groups(ms, m -> m.msg.variant()), r.path("variants"), differences);
                    compareAll(where + "type ", groups(ms, m -> m.msg.type()), r.path("messageTypes"), differences);
                    compareAll(where + "window ", groups(ms, m -> sendWindow(m.at())), r.path("sendWindows"), differences);
                }
                abTest(where + metric, groups(ms, m -> m.msg.variant()), metric, r.path("abTest"), differences);
            }
            csat("seed " + seed + " " + campaign, ms, differences);
        }
        System.out.printf("metrics property test: seed %d, %d events written in %d ms, checked in %d ms%n", seed, arrivals.size(),
                (written - started) / 1_000_000, (System.nanoTime() - written) / 1_000_000);
        return arrivals.size();
    }

    /** Writes the events many at a time, each status batch as one poll of a random size. */
    void write(List<Event> events, List<Event> applied, Random random) throws Throwable {
        List<Uni<Void>> writes = new ArrayList<>();
        FactWriter w = new FactWriter(engagement);
        List<Map.Entry<String, WaStatus>> batch = new ArrayList<>();
        int batchSize = 1 + random.nextInt(40);
        for (Event e : events) {
            applied.add(e);
            if (e instanceof Status s) {
                batch.add(Map.entry(s.subject(), FactWriter.status(s.wamid(), s.status(), s.at(), s.error())));
                if (batch.size() >= batchSize) {
                    writes.add(w.statuses(List.copyOf(batch)));
                    batch.clear();
                    batchSize = 1 + random.nextInt(40);
                }
                continue;
            }
            if (e instanceof Msg m) {
                writes.add(w.message(m.subject(), m.wamid(), m.campaign(), m.variant(), m.type(), m.sentAt(), m.survey()));
            } else if (e instanceof Click c) {
                writes.add(w.click(c.id(), c.subject(), c.campaign(), c.variant(), c.at()));
            } else if (e instanceof Order o) {
                writes.add(w.order(o.subject(), o.orderId(), o.type(), o.at()));
            } else if (e instanceof Reply r) {
                writes.add(switch (r.answer()) {
                    case 1 -> w.tap(r.subject(), r.wamid(), r.at(), "csat_" + r.score(), r.score() + " ⭐", r.context());
                    case 2 -> w.tap(r.subject(), r.wamid(), r.at(), "row_" + r.score(), String.valueOf(r.score()), r.context());
                    default -> w.reply(r.subject(), r.wamid(), r.at(), "text", null, null, r.context(), null);
                });
            } else if (e instanceof OptOut x) {
                writes.add(w.optOut(x.id(), x.subject(), x.at()));
            }
        }
        if (!batch.isEmpty()) {
            writes.add(w.statuses(List.copyOf(batch)));
        }
        for (int i = 0; i < writes.size(); i += IN_FLIGHT) {
            List<Uni<Void>> chunk = writes.subList(i, Math.min(writes.size(), i + IN_FLIGHT));
            VertxContextSupport.subscribeAndAwait(() -> Uni.join().all(chunk).andFailFast().replaceWithVoid());
        }
    }

    /** The send window of domain.md (hours of the business time zone). */
    static String sendWindow(Instant at) {
        int hour = at.atZone(java.time.ZoneId.of("Europe/Istanbul")).getHour();
        return hour < 9 ? "00-09" : hour < 12 ? "09-12" : hour < 15 ? "12-15" : hour < 18 ? "15-18" : hour < 21 ? "18-21" : "21-24";
    }

    /** The campaign's CSAT: answers that count, credited to its messages; score = answers of 4 or 5 / all. */
    static void csat(String where, List<Message> ms, List<String> differences) {
        long[] byScore = new long[5];
        ms.forEach(m -> m.csat.forEach(score -> byScore[score - 1]++));
        long responses = java.util.Arrays.stream(byScore).sum();
        long positive = byScore[3] + byScore[4];
        Response r = given().config(DOUBLES).auth().oauth2(MetricsResourceTest.analyst())
                .queryParam("campaignId", ms.isEmpty() ? "none" : ms.get(0).msg.campaign()).when().get("/api/metrics/csat");
        if (r.statusCode() != 200) {
            differences.add(where + " csat: status " + r.statusCode());
            return;
        }
        List<Long> want = java.util.Arrays.stream(byScore).boxed().toList();
        List<Long> got = r.<List<Number>>path("byScore").stream().map(Number::longValue).toList();
        if (((Number) r.path("responses")).longValue() != responses || ((Number) r.path("positive")).longValue() != positive
                || !got.equals(want) || !java.util.Objects.equals(r.path("score"), percent(positive, responses))) {
            differences.add(where + " csat: " + r.path("responses") + " responses, " + r.path("positive") + " positive, " + got + ", "
                    + r.path("score") + " instead of " + responses + ", " + positive + ", " + want + ", " + percent(positive, responses));
        }
    }

    static void compareAll(String where, Map<String, Group> expected, List<Map<String, Object>> actual, List<String> differences) {
        Map<String, Map<String, Object>> byDimension = new HashMap<>();
        actual.forEach(g -> byDimension.put(String.valueOf(g.get("dimension")), g));
        if (!byDimension.keySet().equals(expected.keySet())) {
            differences.add(where + "groups " + byDimension.keySet() + " instead of " + expected.keySet());
            return;
        }
        expected.forEach((d, g) -> compare(where + d, g, byDimension.get(d), differences));
    }

    static void compare(String where, Group g, Map<String, Object> actual, List<String> differences) {
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("sent", g.sent());
        want.put("delivered", g.delivered());
        want.put("read", g.read());
        want.put("opened", g.opened());
        want.put("failed", g.failed());
        want.put("recipients", g.recipients());
        want.put("readers", g.readers());
        want.put("clicked", g.clicked());
        want.put("converted", g.converted());
        want.put("optedOut", g.optedOut());
        want.put("replied", g.replied());
        want.put("engaged", g.engaged());
        want.put("deliveryRate", percent(g.delivered(), g.sent()));
        want.put("openRate", percent(g.opened(), g.delivered()));
        want.put("clickThroughRate", percent(g.clicked(), g.readers()));
        want.put("conversionRate", percent(g.converted(), g.readers()));
        want.put("optOutRate", percent(g.optedOut(), g.recipients()));
        want.put("engagementRate", percent(g.engaged(), g.readers()));
        want.forEach((name, value) -> {
            Object got = actual == null ? null : actual.get(name);
            Object normal = got instanceof Number n ? (value instanceof Double ? (Object) n.doubleValue() : (Object) n.longValue()) : got;
            if (!java.util.Objects.equals(value, normal)) {
                differences.add(where + " " + name + ": " + got + " instead of " + value);
            }
            if (name.endsWith("Rate") && got instanceof Number n && (n.doubleValue() < 0 || n.doubleValue() > 100)) {
                differences.add(where + " " + name + " out of 0-100 %: " + got);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static void abTest(String where, Map<String, Group> variants, String metric, Map<String, Object> actual, List<String> differences) {
        List<long[]> arms = new ArrayList<>();
        variants.values().forEach(g -> arms.add(switch (metric) {
            case "open" -> new long[] {g.opened(), g.delivered()};
            case "conversion" -> new long[] {g.converted(), g.readers()};
            case "engagement" -> new long[] {g.engaged(), g.readers()};
            default -> new long[] {g.clicked(), g.readers()};
        }));
        List<Map<String, Object>> got = (List<Map<String, Object>>) actual.get("variants");
        for (int i = 0; i < arms.size(); i++) {
            long successes = ((Number) got.get(i).get("successes")).longValue();
            long trials = ((Number) got.get(i).get("trials")).longValue();
            if (successes != arms.get(i)[0] || trials != arms.get(i)[1]) {
                differences.add(where + " arm " + i + ": " + successes + "/" + trials + " instead of " + arms.get(i)[0] + "/" + arms.get(i)[1]);
            }
        }
        List<long[]> usable = arms.stream().filter(a -> a[1] > 0).toList();
        long s = usable.stream().mapToLong(a -> a[0]).sum();
        long t = usable.stream().mapToLong(a -> a[1]).sum();
        Double p = null;
        if (usable.size() >= 2 && s > 0 && s < t) {
            long[][] table = usable.stream().map(a -> new long[] {a[0], a[1] - a[0]}).toArray(long[][]::new);
            p = new ChiSquareTest().chiSquareTest(table);
        }
        Object pValue = actual.get("pValue");
        if (p == null ? pValue != null : !(pValue instanceof Number n && Math.abs(n.doubleValue() - p) < 1e-9)) {
            differences.add(where + " p-value " + pValue + " instead of " + p);
        }
    }
}
