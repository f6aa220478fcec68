package io.sohbet.segment.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.MessageIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random event streams (replies, campaign messages and their reads in either order, clicks, orders created,
 * paid and cancelled in TRY, EUR or without a total; a third of them delivered twice; all shuffled) through the
 * service's own fact store, against an independent model of domain.md §3 written here: every profile figure and
 * every built-in segment but the RFM ones (relative to everyone in the database) must equal the model's, after the
 * per-event evaluation and again after a full run. {@code -Dsegment.property.seeds} (20).
 */
@QuarkusTest
class SegmentPropertyTest {

    static final int SEEDS = Integer.getInteger("segment.property.seeds", 20);
    static final int SUBJECTS = 6;
    static final MessageIds IDS = MessageIds.withKey("dev-message-id-key-not-for-production");
    static final Set<String> COMPARED = new TreeSet<>(List.of("active", "regular", "passive", "visual", "text", "quick-info", "vip",
            "new", "loyal", "at-risk"));

    /** The people erased in the middle of their stream: nothing of them is left. */
    final Set<String> erased = new java.util.HashSet<>();

    /** The segments the model put someone in, over every seed: the streams must reach each. */
    final Set<String> covered = new TreeSet<>();

    @Inject
    io.sohbet.segment.messaging.SegmentListener listener;

    @Inject
    SegmentEvaluation evaluation;

    @Inject
    Pool pool;

    /** What the model keeps of a subject's events. */
    static final class Person {
        final Map<String, Object[]> interactions = new HashMap<>(); // event id -> {at, content or null, wamid of a read}
        final Map<String, String> sent = new HashMap<>(); // wamid -> content kind
        final Map<String, Object[]> orders = new HashMap<>(); // order id -> {at, total, currency, cancelled}
        Instant firstSeen;

        void seen(Instant at) {
            firstSeen = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
        }
    }

    record Event(String subject, Supplier<Uni<Void>> deliver, Runnable model) {
    }

    @Test
    void profilesAndSegmentsEqualTheModelOverRandomStreams() throws Throwable {
        List<String> differences = new ArrayList<>();
        covered.clear();
        erased.clear();
        Map<String, Person> everyone = new HashMap<>();
        Instant now = Instant.now();
        for (int seed = 1; seed <= SEEDS; seed++) {
            Random random = new Random(seed);
            Map<String, Person> people = new HashMap<>();
            List<Event> stream = new ArrayList<>();
            for (int s = 0; s < SUBJECTS; s++) {
                String subject = "prop" + Long.toHexString(System.nanoTime()) + "s" + seed + "p" + s;
                Person person = new Person();
                people.put(subject, person);
                events(subject, person, random, now, stream);
            }
            List<Event> delivered = new ArrayList<>(stream);
            for (Event e : stream) {
                if (random.nextInt(3) == 0) {
                    delivered.add(e); // redelivered
                }
            }
            Collections.shuffle(delivered, random);
            // every fourth seed erases one person in the middle of the stream: what was stored goes, what comes after
            // (all of it happened before the erasure) is dropped
            String erasedSubject = seed % 4 == 0 ? people.keySet().iterator().next() : null;
            int erasureAt = random.nextInt(delivered.size() + 1);
            for (int i = 0; i <= delivered.size(); i++) {
                if (i == erasureAt && erasedSubject != null) {
                    KeyVaultStandIn.ERASED.put(erasedSubject, Instant.now());
                    assertThat(ErasureRequests.deliver(erasedSubject, "segment-service", 1)).hasSize(1);
                    erased.add(erasedSubject);
                }
                if (i < delivered.size()) {
                    Event e = delivered.get(i);
                    e.model().run();
                    VertxContextSupport.subscribeAndAwait(e.deliver());
                }
            }
            for (Map.Entry<String, Person> p : people.entrySet()) {
                compare("seed " + seed + " ", p.getKey(), p.getValue(), now, differences);
            }
            everyone.putAll(people);
        }
        VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(Instant.now()));
        for (Map.Entry<String, Person> p : everyone.entrySet()) {
            compare("after a full run ", p.getKey(), p.getValue(), now, differences);
        }
        assertThat(differences).as(SEEDS + " seeds, " + everyone.size() + " subjects").isEmpty();
        assertThat(covered).as("the streams reach every compared segment").containsAll(COMPARED);
        assertThat(erased).hasSize(SEEDS / 4);
    }

    void events(String subject, Person person, Random random, Instant now, List<Event> stream) {
        int n = random.nextInt(1_000_000);
        // a whole life within 100 days, a new customer (the last 25 days) or one gone quiet (61 to 100 days ago)
        int[][] lives = {{0, 99}, {0, 25}, {61, 99}};
        int[] life = lives[random.nextInt(lives.length)];
        Supplier<Instant> ago = () -> ago(random, now, life[0], life[1]);
        // campaign messages, most of them read (the read may come before the message)
        for (int i = random.nextInt(6); i > 0; i--) {
            String wamid = IDS.of("wamid.prop." + subject + "." + n + "." + i);
            String type = List.of("image", "video", "text", "interactive", "list", "template").get(random.nextInt(6));
            Instant sentAt = ago.get();
            String content = switch (type) {
                case "image", "video" -> "visual";
                case "interactive", "list" -> "quick";
                default -> "text";
            };
            stream.add(new Event(subject, () -> listener.campaignMessage(CloudEvent.of(Topics.CAMPAIGN_MESSAGE,
                    "campaign.message:" + wamid, "/test", sentAt, subject, new CampaignMessage(wamid, "c1", "A", type, sentAt))),
                    () -> {
                        person.sent.put(wamid, content);
                        person.seen(sentAt);
                    }));
            if (random.nextInt(4) > 0) {
                Instant readAt = sentAt.plusSeconds(60 + random.nextInt(3600));
                String eventId = "wa.status:" + wamid + ":read:" + readAt.getEpochSecond();
                stream.add(new Event(subject, () -> listener.status(CloudEvent.of(Topics.WA_STATUS, eventId, "/test", readAt,
                        subject, new WaStatus(wamid, "read", readAt, "pn", "individual", null, null, null, null, null, null, null, List.of()))), () -> {
                            person.interactions.put(eventId, new Object[] {readAt, null, wamid});
                            person.seen(readAt);
                        }));
            }
        }
        // replies of every kind
        for (int i = random.nextInt(9); i > 0; i--) {
            String wamid = IDS.of("wamid.prop.in." + subject + "." + n + "." + i);
            String type = List.of("image", "sticker", "text", "text", "interactive", "button", "audio").get(random.nextInt(7));
            int length = random.nextBoolean() ? 12 : 80;
            Instant at = ago.get();
            String content = switch (type) {
                case "image", "sticker" -> "visual";
                case "text" -> length >= 40 ? "text" : "quick";
                case "interactive", "button" -> "quick";
                default -> null;
            };
            String eventId = "wa.inbound:" + wamid;
            stream.add(new Event(subject, () -> listener.inbound(CloudEvent.of(Topics.WA_INBOUND, eventId, "/test", at, subject,
                    new WaInbound(wamid, "pn", at, type, type, null, null, type.equals("text") ? length : null, null, null, null, null, null,
                            null, null, false, null, null, null, null, List.of()))),
                    () -> {
                        person.interactions.put(eventId, new Object[] {at, content, null});
                        person.seen(at);
                    }));
        }
        // clicks
        for (int i = random.nextInt(4); i > 0; i--) {
            Instant at = ago.get();
            String eventId = "link.click:" + subject + ":" + n + ":" + i;
            stream.add(new Event(subject, () -> listener.click(CloudEvent.of(Topics.LINK_CLICK, eventId, "/test", at, subject,
                    new LinkClick("c1", "A", "l1", "https://shop.example/x", at))),
                    () -> {
                        person.interactions.put(eventId, new Object[] {at, null, null});
                        person.seen(at);
                    }));
        }
        // orders: created, maybe paid later, maybe cancelled; in TRY, EUR or without a total
        for (int i = random.nextInt(7); i > 0; i--) {
            String orderId = "prop-order-" + subject + "-" + n + "-" + i;
            Instant at = ago.get();
            int kind = random.nextInt(8);
            String currency = kind < 6 ? "TRY" : kind == 6 ? "EUR" : null;
            BigDecimal total = currency == null ? null : BigDecimal.valueOf(50 + random.nextInt(900)).setScale(2);
            order(stream, subject, person, orderId, "order.created", at, total, currency);
            if (random.nextBoolean()) {
                order(stream, subject, person, orderId, "order.paid", at.plusSeconds(600), total, currency);
            }
            if (random.nextInt(5) == 0) {
                Instant cancelledAt = at.plusSeconds(1200);
                stream.add(new Event(subject, () -> listener.commerce(CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + orderId
                        + ":cancel", "/test", cancelledAt, subject, new CommerceEvent(orderId + ":cancel", "order.cancelled", cancelledAt, orderId,
                        null, null, null, List.of(), null))), () -> {
                            Object[] o = person.orders.computeIfAbsent(orderId, k -> new Object[] {cancelledAt, null, null, false});
                            o[3] = true;
                            person.seen(cancelledAt);
                        }));
            }
        }
    }

    void order(List<Event> stream, String subject, Person person, String orderId, String type, Instant at, BigDecimal total,
            String currency) {
        stream.add(new Event(subject, () -> listener.commerce(CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + orderId + ":" + type,
                "/test", at, subject, new CommerceEvent(orderId + ":" + type, type, at, orderId, null, total, currency,
                        List.of(new CommerceEvent.Item("sku", "giyim", 1, total)), null))), () -> {
                    Object[] o = person.orders.get(orderId);
                    if (o == null) {
                        person.orders.put(orderId, new Object[] {at, total, currency, false});
                    } else if (!(Boolean) o[3] || o[1] != null) { // stored first by a created or paid: the earliest time stays
                        o[0] = at.isBefore((Instant) o[0]) ? at : o[0];
                    } // stored first by the cancellation: nothing but the cancelled row
                    person.seen(at);
                }));
    }

    /**
     * Between {@code from} and {@code to} whole days ago, plus half a day (the windows' edges stay far from the seconds
     * the test takes).
     */
    static Instant ago(Random random, Instant now, int from, int to) {
        return now.minus(Duration.ofHours(12 + 24L * (from + random.nextInt(to - from + 1)))).minusSeconds(random.nextInt(3600))
                .truncatedTo(ChronoUnit.MILLIS);
    }

    void compare(String label, String subject, Person p, Instant now, List<String> differences) throws Throwable {
        if (erased.contains(subject)) {
            long left = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT (SELECT count(*) FROM profile WHERE "
                    + "subject_id = $1) + (SELECT count(*) FROM segment_member WHERE subject_id = $1) + (SELECT count(*) FROM interaction "
                    + "WHERE subject_id = $1) + (SELECT count(*) FROM shop_order WHERE subject_id = $1) + (SELECT count(*) FROM sent_message "
                    + "WHERE subject_id = $1)").execute(Tuple.of(subject))).iterator().next().getLong(0);
            if (left != 0) {
                differences.add(label + subject + ": erased, yet " + left + " rows left");
            }
            return;
        }
        int i7 = 0, i30 = 0, i90 = 0, visual = 0, text = 0, quick = 0;
        Instant lastActivity = null;
        for (Object[] i : p.interactions.values()) {
            Instant at = (Instant) i[0];
            String content = i[2] != null ? p.sent.get((String) i[2]) : (String) i[1];
            i7 += at.isAfter(now.minus(Duration.ofDays(7))) ? 1 : 0;
            i30 += at.isAfter(now.minus(Duration.ofDays(30))) ? 1 : 0;
            if (at.isAfter(now.minus(Duration.ofDays(90)))) {
                i90++;
                visual += "visual".equals(content) ? 1 : 0;
                text += "text".equals(content) ? 1 : 0;
                quick += "quick".equals(content) ? 1 : 0;
            }
            lastActivity = lastActivity == null || at.isAfter(lastActivity) ? at : lastActivity;
        }
        int o30 = 0, ot = 0, b30 = 0, bt = 0;
        BigDecimal r30 = BigDecimal.ZERO, rt = BigDecimal.ZERO;
        Instant lastOrder = null;
        for (Object[] o : p.orders.values()) {
            if ((Boolean) o[3]) {
                continue;
            }
            Instant at = (Instant) o[0];
            boolean recent = at.isAfter(now.minus(Duration.ofDays(30)));
            boolean basket = "TRY".equals(o[2]) && o[1] != null;
            ot++;
            o30 += recent ? 1 : 0;
            bt += basket ? 1 : 0;
            b30 += basket && recent ? 1 : 0;
            rt = basket ? rt.add((BigDecimal) o[1]) : rt;
            r30 = basket && recent ? r30.add((BigDecimal) o[1]) : r30;
            lastOrder = lastOrder == null || at.isAfter(lastOrder) ? at : lastOrder;
            lastActivity = lastActivity == null || at.isAfter(lastActivity) ? at : lastActivity;
        }
        BigDecimal basket30 = b30 == 0 ? BigDecimal.ZERO : r30.divide(BigDecimal.valueOf(b30), 2, RoundingMode.HALF_UP);
        int engaged = visual + text + quick;
        String preference = engaged == 0 ? null : visual >= text && visual >= quick ? "visual" : text >= quick ? "text" : "quick";
        Set<String> segments = new TreeSet<>();
        if (i7 >= 3) segments.add("active");
        if (i30 >= 5 && i30 <= 10) segments.add("regular");
        if (i90 < 5) segments.add("passive");
        if (engaged >= 3 && preference != null) segments.add(preference.equals("quick") ? "quick-info" : preference);
        if (o30 >= 3 && basket30.compareTo(new BigDecimal("500")) > 0) segments.add("vip");
        if (p.firstSeen != null && !p.firstSeen.isBefore(now.minus(Duration.ofDays(30)))) segments.add("new");
        if (ot >= 2 && lastActivity != null && !lastActivity.isBefore(now.minus(Duration.ofDays(30)))) segments.add("loyal");
        if (p.interactions.size() >= 3 && lastActivity != null && lastActivity.isBefore(now.minus(Duration.ofDays(60)))) segments.add("at-risk");

        covered.addAll(segments);
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("interactions_7d", i7);
        expected.put("interactions_30d", i30);
        expected.put("interactions_90d", i90);
        expected.put("interactions_total", p.interactions.size());
        expected.put("visual_90d", visual);
        expected.put("text_90d", text);
        expected.put("quick_90d", quick);
        expected.put("orders_30d", o30);
        expected.put("orders_total", ot);
        expected.put("try_orders_30d", b30);
        expected.put("try_orders_total", bt);
        expected.put("revenue_30d", r30.setScale(2));
        expected.put("revenue_total", rt.setScale(2));
        expected.put("last_order_at", micros(lastOrder));
        expected.put("last_activity_at", micros(lastActivity));
        expected.put("first_seen_at", micros(p.firstSeen));
        expected.put("segments", segments);

        Map<String, Object> actual = new java.util.LinkedHashMap<>();
        var rows = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT * FROM profile WHERE subject_id = $1")
                .execute(Tuple.of(subject)));
        if (rows.size() == 0) {
            differences.add(label + subject + ": no profile");
            return;
        }
        Row r = rows.iterator().next();
        for (String column : expected.keySet()) {
            if (column.equals("segments")) {
                continue;
            }
            Object value = r.getValue(column);
            if (value instanceof java.time.OffsetDateTime t) {
                value = t.toInstant();
            } else if (value instanceof io.vertx.sqlclient.data.Numeric num) {
                value = num.bigDecimalValue().setScale(2);
            } else if (value instanceof Number num && !(value instanceof BigDecimal)) {
                value = num.intValue();
            }
            actual.put(column, value);
        }
        Set<String> member = new TreeSet<>();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT segment_id FROM segment_member WHERE subject_id = $1")
                .execute(Tuple.of(subject))).forEach(m -> {
                    if (COMPARED.contains(m.getString("segment_id"))) {
                        member.add(m.getString("segment_id"));
                    }
                });
        actual.put("segments", member);
        for (String key : expected.keySet()) {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
                differences.add(label + subject + " " + key + ": model " + expected.get(key) + ", service " + actual.get(key));
            }
        }
    }

    static Instant micros(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }
}
