package io.sohbet.segment.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** RFM quintiles give ties one score and stay put without a change in the data; the average basket is over TRY orders. */
@QuarkusTest
class RfmAndBasketTest {

    @Inject
    Pool pool;

    @Inject
    SegmentEvaluation evaluation;

    static String marketer() {
        return TestTokens.person("sohbet-segment", "mert", "marketer").sign();
    }

    static CloudEvent order(String subject, String id, String type, Instant at, String total, String currency) {
        return CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + id + ":" + type, "/test", at, subject, new CommerceEvent(id + ":" + type, type,
                at, id, null, total == null ? null : new BigDecimal(total), currency,
                List.of(new CommerceEvent.Item("sku1", "giyim", 1, total == null ? null : new BigDecimal(total))), null));
    }

    Response awaitProfile(String subject, java.util.function.Predicate<Response> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Response r;
        do {
            Thread.sleep(100);
            r = given().auth().oauth2(marketer()).when().get("/api/profiles/" + subject);
        } while ((r.statusCode() != 200 || !done.test(r)) && System.currentTimeMillis() < deadline);
        return r;
    }

    Map<String, List<Integer>> scores(List<String> subjects) throws Throwable {
        Map<String, List<Integer>> out = new HashMap<>();
        for (Row r : VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT subject_id, rfm_recency, rfm_frequency, "
                + "rfm_monetary FROM profile WHERE subject_id = ANY($1)").execute(Tuple.of((Object) subjects.toArray(new String[0]))))) {
            out.put(r.getString("subject_id"), java.util.Arrays.asList(r.getInteger("rfm_recency"), r.getInteger("rfm_frequency"),
                    r.getInteger("rfm_monetary")));
        }
        return out;
    }

    Set<String> memberships(List<String> subjects) throws Throwable {
        Set<String> out = new HashSet<>();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT segment_id, subject_id, since FROM segment_member "
                + "WHERE subject_id = ANY($1)").execute(Tuple.of((Object) subjects.toArray(new String[0]))))
                .forEach(r -> out.add(r.getString("segment_id") + "/" + r.getString("subject_id") + "/" + r.getOffsetDateTime("since")));
        return out;
    }

    @Test
    void identicalCustomersGetIdenticalScoresThatStayWithoutAChangeInTheData() throws Throwable {
        String prefix = "rfm" + Long.toHexString(System.nanoTime());
        Instant at = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        List<String> twins = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            twins.add(prefix + String.format("%02d", i) + "twin");
        }
        String[] orderIds = twins.stream().map(s -> "sid_" + s).toArray(String[]::new);
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO profile (subject_id, first_seen_at, last_seen_at) "
                        + "SELECT s, $2, $2 FROM unnest($1::text[]) AS s").execute(Tuple.of(twins.toArray(new String[0]), at.atOffset(ZoneOffset.UTC)))
                .chain(() -> pool.preparedQuery("INSERT INTO shop_order (order_id, subject_id, at, total, currency) "
                        + "SELECT o, s, $3, 250.00, 'TRY' FROM unnest($1::text[], $2::text[]) AS t(o, s)")
                        .execute(Tuple.of(orderIds, twins.toArray(new String[0]), at.atOffset(ZoneOffset.UTC)))));
        Instant now = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(now));
        Map<String, List<Integer>> first = scores(twins);
        assertThat(first).hasSize(25);
        assertThat(new HashSet<>(first.values())).as("25 customers with the same orders").hasSize(1);
        assertThat(first.values().iterator().next()).doesNotContainNull();
        Set<String> members = memberships(twins);

        VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(now.plusSeconds(1)));
        assertThat(scores(twins)).isEqualTo(first);
        assertThat(memberships(twins)).as("no one entered or left anything").isEqualTo(members);
        assertThat(plannerSettingsOfPooledConnections()).as("a page's planner settings end with its transaction")
                .containsOnly("on/auto");
    }

    /** enable_seqscan and plan_cache_mode as eight queries at once see them, each on a connection of the pool. */
    private List<String> plannerSettingsOfPooledConnections() throws Throwable {
        List<io.smallrye.mutiny.Uni<String>> asked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asked.add(pool.query("SELECT current_setting('enable_seqscan') || '/' || current_setting('plan_cache_mode') AS s, pg_sleep(0.05)")
                    .execute().map(rows -> rows.iterator().next().getString("s")));
        }
        return VertxContextSupport.subscribeAndAwait(() -> io.smallrye.mutiny.Uni.join().all(asked).andFailFast());
    }

    @Test
    void aCustomerWithoutOrdersKeepsNoScoreAndTheBasketIsOverTryOrders() throws Throwable {
        String subject = "rfm" + Long.toHexString(System.nanoTime()) + "buyer";
        Instant at = Instant.now().minus(Duration.ofDays(2));
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            for (int i = 0; i < 3; i++) {
                kafka.send(Topics.COMMERCE_EVENT, subject, order(subject, "o" + i + subject, "order.created", at.plusSeconds(i), "600.00", "TRY"));
            }
            kafka.send(Topics.COMMERCE_EVENT, subject, order(subject, "eur" + subject, "order.created", at.plusSeconds(5), "100.00", "EUR"));
            kafka.send(Topics.COMMERCE_EVENT, subject, order(subject, "none" + subject, "order.created", at.plusSeconds(6), null, null));
            // 1800 TRY over 3 TRY orders with a total: 600, a VIP (not 1800 / 5 = 360)
            awaitProfile(subject, r -> Integer.valueOf(5).equals(r.path("attributes.ordersTotal"))
                    && r.<List<String>>path("segments").contains("vip")).then().statusCode(200)
                    .body("averageBasket30d", org.hamcrest.Matchers.equalTo(600.0f))
                    .body("averageBasket", org.hamcrest.Matchers.equalTo(600.0f))
                    .body("segments", org.hamcrest.Matchers.hasItem("vip"));
            VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(Instant.now()));
            assertThat(scores(List.of(subject)).get(subject)).doesNotContainNull();
            for (String id : List.of("o0", "o1", "o2", "eur", "none")) {
                kafka.send(Topics.COMMERCE_EVENT, subject, order(subject, id + subject, "order.cancelled", at.plusSeconds(10), null, null));
            }
            awaitProfile(subject, r -> Integer.valueOf(0).equals(r.path("attributes.ordersTotal"))).then().statusCode(200)
                    .body("attributes.ordersTotal", org.hamcrest.Matchers.equalTo(0));
            assertThat(scores(List.of(subject)).get(subject)).as("no orders left: no score at once").containsOnlyNulls();
            VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(Instant.now()));
            assertThat(scores(List.of(subject)).get(subject)).as("nor after a full run").containsOnlyNulls();
        }
    }

    /** Every customer's last order, order count and TRY revenue (non-cancelled orders), read from the table itself. */
    Map<String, Object[]> customers() throws Throwable {
        Map<String, Object[]> out = new HashMap<>();
        for (Row r : VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT subject_id, at, total, currency FROM shop_order "
                + "WHERE NOT cancelled").execute())) {
            Object[] c = out.computeIfAbsent(r.getString("subject_id"), s -> new Object[] {Instant.MIN, 0L, BigDecimal.ZERO});
            Instant at = r.getOffsetDateTime("at").toInstant();
            c[0] = at.isAfter((Instant) c[0]) ? at : c[0];
            c[1] = (Long) c[1] + 1;
            if ("TRY".equals(r.getString("currency")) && r.getBigDecimal("total") != null) {
                c[2] = ((BigDecimal) c[2]).add(r.getBigDecimal("total"));
            }
        }
        return out;
    }

    /** The model: 1 + floor(5 × below / n), below = customers with a strictly lower value, n = customers with orders. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int quintile(Map<String, Object[]> customers, String subject, int dimension) {
        Comparable v = (Comparable) customers.get(subject)[dimension];
        long below = customers.values().stream().filter(c -> ((Comparable) c[dimension]).compareTo(v) < 0).count();
        return 1 + (int) (5 * below / customers.size());
    }

    @Test
    void scoresAreTheQuintilesOfDomainMdOverEveryCustomer() throws Throwable {
        String prefix = "rfq" + Long.toHexString(System.nanoTime());
        Instant base = Instant.now().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
        List<String> subjects = new ArrayList<>();
        List<Object[]> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // spread over recency, frequency and revenue, three of them alike
            String s = prefix + String.format("%02d", i);
            subjects.add(s);
            int rank = Math.min(i, 9);
            for (int k = 0; k <= rank % 5; k++) {
                orders.add(new Object[] {"sid_" + s + "_" + k, s, base.plus(Duration.ofDays(rank)).atOffset(ZoneOffset.UTC),
                        new BigDecimal(100 * (12 - rank) + ".00"), k == 0 && i % 4 == 1 ? "EUR" : "TRY"});
            }
        }
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO profile (subject_id, first_seen_at, last_seen_at) "
                        + "SELECT s, $2, $2 FROM unnest($1::text[]) AS s").execute(Tuple.of(subjects.toArray(new String[0]), base.atOffset(ZoneOffset.UTC)))
                .chain(() -> pool.preparedQuery("INSERT INTO shop_order (order_id, subject_id, at, total, currency) VALUES ($1, $2, $3, $4, $5)")
                        .executeBatch(orders.stream().map(Tuple::from).toList())));
        Map<String, Object[]> customers;
        do { // the facts the run read: unchanged around it
            customers = customers();
            VertxContextSupport.subscribeAndAwait(() -> evaluation.reevaluateAll(Instant.now()));
        } while (!same(customers, customers()));
        Map<String, List<Integer>> scores = scores(subjects);
        for (String s : subjects) {
            assertThat(scores.get(s)).as(s).containsExactly(quintile(customers, s, 0), quintile(customers, s, 1), quintile(customers, s, 2));
        }
        assertThat(scores.get(prefix + "10")).as("alike").isEqualTo(scores.get(prefix + "11"));
        assertThat(scores.get(prefix + "09").get(0)).as("the latest order here").isGreaterThan(scores.get(prefix + "00").get(0));
    }

    static boolean same(Map<String, Object[]> a, Map<String, Object[]> b) {
        return a.size() == b.size() && a.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
    }
}
