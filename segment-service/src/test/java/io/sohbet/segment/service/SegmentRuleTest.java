package io.sohbet.segment.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.segment.config.SegmentConfig;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentRuleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    static final SegmentConfig.Thresholds DEFAULTS = new SegmentConfig.Thresholds() {
        public int activeInteractions7d() { return 3; }
        public int regularMin30d() { return 5; }
        public int regularMax30d() { return 10; }
        public int passiveBelow90d() { return 5; }
        public int contentMinEngagements() { return 3; }
        public int vipOrders30d() { return 3; }
        public BigDecimal vipAverageBasket() { return new BigDecimal("500"); }
        public int newDays() { return 30; }
        public int loyalOrders() { return 2; }
        public int atRiskDays() { return 60; }
    };

    /** A profile builder for edge cases. */
    static final class P {
        int i7, i30, i90, total, visual, text, quick, orders30, ordersTotal;
        Integer tryOrders30, tryOrdersTotal; // the orders in TRY with a total; as many as the orders unless set
        BigDecimal revenue30 = BigDecimal.ZERO, revenueTotal = BigDecimal.ZERO;
        Instant firstSeen = NOW.minus(Duration.ofDays(400)), lastActivity = NOW;
        Integer r, f, m;
        String city = "İstanbul";

        ProfileFacts build() {
            return new ProfileFacts("s", firstSeen, lastActivity, lastActivity, i7, i30, i90, total, visual, text, quick, orders30,
                    ordersTotal, tryOrders30 == null ? orders30 : tryOrders30, tryOrdersTotal == null ? ordersTotal : tryOrdersTotal, revenue30, revenueTotal, null, null, r, f, m, "female", 1995, city);
        }
    }

    static boolean in(String segment, P p) {
        Map<String, BuiltInSegments.Definition> all = BuiltInSegments.of(DEFAULTS);
        BuiltInSegments.Definition d = all.get(segment);
        return SegmentRule.compile(d.rule(), all.keySet(), new HashSet<>()).test(p.build(), NOW, Set.of());
    }

    @Test
    void engagementFrequencyAtTheEdges() {
        P p = new P();
        p.i7 = 2;
        assertThat(in("active", p)).isFalse();
        p.i7 = 3;
        assertThat(in("active", p)).isTrue();
        for (int[] c : new int[][] {{4, 0}, {5, 1}, {10, 1}, {11, 0}}) {
            p.i30 = c[0];
            assertThat(in("regular", p)).as("%d in 30 days", c[0]).isEqualTo(c[1] == 1);
        }
        p.i90 = 4;
        assertThat(in("passive", p)).isTrue();
        p.i90 = 5;
        assertThat(in("passive", p)).isFalse();
    }

    @Test
    void vipNeedsThreeOrdersAndAnAverageBasketOver500() {
        P p = new P();
        p.orders30 = 3;
        p.revenue30 = new BigDecimal("1500.00");
        assertThat(in("vip", p)).as("exactly 500 is not over 500").isFalse();
        p.revenue30 = new BigDecimal("1500.03");
        assertThat(in("vip", p)).isTrue();
        p.orders30 = 2;
        p.revenue30 = new BigDecimal("5000");
        assertThat(in("vip", p)).isFalse();
    }

    @Test
    void theAverageBasketIsTryRevenueOverTheTryOrdersWithATotal() {
        P p = new P();
        p.orders30 = 4; // three in TRY worth 1800, one in EUR (or without a total)
        p.tryOrders30 = 3;
        p.revenue30 = new BigDecimal("1800.00");
        p.ordersTotal = 5;
        p.tryOrdersTotal = 4;
        p.revenueTotal = new BigDecimal("2000.00");
        assertThat(p.build().averageBasket30d()).isEqualByComparingTo("600.00");
        assertThat(p.build().averageBasket()).isEqualByComparingTo("500.00");
        assertThat(in("vip", p)).as("600 TRY on average, not 1800 / 4 = 450").isTrue();
        p.tryOrders30 = 0;
        p.revenue30 = BigDecimal.ZERO;
        assertThat(p.build().averageBasket30d()).isEqualByComparingTo("0");
        assertThat(in("vip", p)).as("four orders, none in TRY: no basket to judge").isFalse();
    }

    @Test
    void lifecycleAndContentPreference() {
        P p = new P();
        p.firstSeen = NOW.minus(Duration.ofDays(29));
        assertThat(in("new", p)).isTrue();
        p.firstSeen = NOW.minus(Duration.ofDays(31));
        assertThat(in("new", p)).isFalse();
        p.total = 3;
        p.lastActivity = NOW.minus(Duration.ofDays(59));
        assertThat(in("at-risk", p)).isFalse();
        p.lastActivity = NOW.minus(Duration.ofDays(61));
        assertThat(in("at-risk", p)).isTrue();
        p.ordersTotal = 2;
        p.lastActivity = NOW.minus(Duration.ofDays(10));
        assertThat(in("loyal", p)).isTrue();
        p.visual = 2;
        p.text = 1;
        assertThat(in("visual", p)).as("three engagements needed").isTrue();
        p.visual = 1;
        p.text = 1;
        assertThat(in("visual", p)).isFalse();
        p.quick = 5;
        assertThat(in("quick-info", p)).isTrue();
        assertThat(in("text", p)).isFalse();
        p.text = 6;
        assertThat(in("text", p)).as("text wins over quick").isTrue();
        p.r = 5;
        p.f = 4;
        p.m = 4;
        assertThat(in("rfm-champions", p)).isTrue();
        p.r = 3;
        assertThat(in("rfm-champions", p)).isFalse();
        p.r = 2;
        p.f = 2;
        assertThat(in("rfm-hibernating", p)).isTrue();
        p.f = 3;
        assertThat(in("rfm-hibernating", p)).isFalse();
    }

    @Test
    void customRulesCombineConditionsAndOtherSegments() throws Exception {
        var rule = JSON.readTree("{\"all\":[{\"inSegment\":\"active\"},{\"not\":{\"attr\":\"topCategory\",\"op\":\"in\",\"value\":[\"ayakkabı\"]}},"
                + "{\"any\":[{\"attr\":\"ordersTotal\",\"op\":\"between\",\"value\":[1,2]},{\"attr\":\"lastOrderAt\",\"op\":\"exists\"}]}]}");
        SegmentRule.Condition c = SegmentRule.compile(rule, Set.of("active"), new HashSet<>());
        P p = new P();
        p.ordersTotal = 2;
        assertThat(c.test(p.build(), NOW, Set.of("active"))).isTrue();
        assertThat(c.test(p.build(), NOW, Set.of())).isFalse();
    }

    @Test
    void demographicRulesMatchTurkishCityNamesAndAges() throws Exception {
        var rule = JSON.readTree("{\"all\":[{\"attr\":\"gender\",\"op\":\"=\",\"value\":\"female\"},"
                + "{\"attr\":\"age\",\"op\":\"between\",\"value\":[25,35]},{\"attr\":\"city\",\"op\":\"=\",\"value\":\"istanbul\"}]}");
        ProfileFacts p = new P().build();
        int age = java.time.Year.now().getValue() - 1995;
        assertThat(SegmentRule.compile(rule, Set.of(), new HashSet<>()).test(p, NOW, Set.of())).isEqualTo(age >= 25 && age <= 35);
        assertThat(p.ageBand()).isEqualTo(age <= 34 ? "25-34" : "35-44");
    }

    @Test
    void textComparesTurkishAwareCaseFoldedAndGenderValuesReadAsTheShopsAre() throws Exception {
        for (String city : java.util.List.of("İstanbul", "Istanbul", "ISTANBUL", "istanbul", "İSTANBUL", "ıstanbul", " İstanbul ",
                "I\u0307stanbul")) {
            P p = new P();
            p.city = city;
            for (String rule : java.util.List.of("İstanbul", "ISTANBUL", "istanbul")) {
                assertThat(SegmentRule.compile(JSON.readTree("{\"attr\":\"city\",\"op\":\"=\",\"value\":\"" + rule + "\"}"), Set.of(),
                        new HashSet<>()).test(p.build(), NOW, Set.of())).as(city + " = " + rule).isTrue();
            }
            assertThat(SegmentRule.compile(JSON.readTree("{\"attr\":\"city\",\"op\":\"in\",\"value\":[\"İzmir\",\"İSTANBUL\"]}"), Set.of(),
                    new HashSet<>()).test(p.build(), NOW, Set.of())).as(city + " in").isTrue();
            assertThat(SegmentRule.compile(JSON.readTree("{\"attr\":\"city\",\"op\":\"contains\",\"value\":\"STAN\"}"), Set.of(),
                    new HashSet<>()).test(p.build(), NOW, Set.of())).as(city + " contains").isTrue();
            assertThat(SegmentRule.compile(JSON.readTree("{\"attr\":\"city\",\"op\":\"=\",\"value\":\"İzmir\"}"), Set.of(),
                    new HashSet<>()).test(p.build(), NOW, Set.of())).as(city + " = İzmir").isFalse();
        }
        for (String given : java.util.List.of("Kadın", "KADIN", "kadin", "Kadin", "F", "female", "FEMALE", "K")) {
            assertThat(SegmentFacts.normalGender(given)).as(given).isEqualTo("female");
        }
        assertThat(SegmentFacts.normalGender("ERKEK")).isEqualTo("male");
        P p = new P(); // female
        for (String rule : java.util.List.of("female", "KADIN", "Kadın", "f")) {
            assertThat(SegmentRule.compile(JSON.readTree("{\"attr\":\"gender\",\"op\":\"=\",\"value\":\"" + rule + "\"}"), Set.of(),
                    new HashSet<>()).test(p.build(), NOW, Set.of())).as("gender = " + rule).isTrue();
        }
        assertThatThrownBy(() -> SegmentRule.compile(JSON.readTree("{\"any\":[{\"attr\":\"gender\",\"op\":\"=\",\"value\":\"kadinlar\"},"
                + "{\"attr\":\"gender\",\"op\":\"in\",\"value\":[\"male\",\"x\"]}]}"), Set.of(), new HashSet<>()))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> assertThat(e.errors()).extracting(InvalidRuleException.Error::pointer)
                        .containsExactlyInAnyOrder("/any/0/value", "/any/1/value/1"));
        // a blank gender is an invalid rule (400), not a NullPointerException (500)
        assertThatThrownBy(() -> SegmentRule.compile(JSON.readTree("{\"any\":[{\"attr\":\"gender\",\"op\":\"=\",\"value\":\"\"},"
                + "{\"attr\":\"gender\",\"op\":\"!=\",\"value\":\"  \"},{\"attr\":\"gender\",\"op\":\"in\",\"value\":[\"male\",\" \"]}]}"),
                Set.of(), new HashSet<>()))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> assertThat(e.errors()).extracting(InvalidRuleException.Error::pointer)
                        .containsExactlyInAnyOrder("/any/0/value", "/any/1/value", "/any/2/value/1"));
    }

    @Test
    void ageIsReadOnlyAsARangeOfSeveralYears() throws Exception {
        java.util.List<InvalidRuleException.Error> errors = new java.util.ArrayList<>();
        // the seed's 25-35 and an age band are age conditions; exists tells nothing of the year
        assertThat(SegmentRule.ageConditions(JSON.readTree("{\"all\":[{\"attr\":\"age\",\"op\":\"between\",\"value\":[25,35]},"
                + "{\"not\":{\"attr\":\"ageBand\",\"op\":\"=\",\"value\":\"25-34\"}},{\"attr\":\"age\",\"op\":\"exists\"}]}"), 5, errors))
                .containsExactly("/all/0", "/all/1/not");
        assertThat(errors).isEmpty();
        // one birth year, by equality, by a narrow range, or by an open bound that a second condition could close
        for (String single : new String[] {"{\"attr\":\"age\",\"op\":\"=\",\"value\":31}",
                "{\"attr\":\"age\",\"op\":\">=\",\"value\":31}", "{\"attr\":\"age\",\"op\":\"in\",\"value\":[31]}"}) {
            errors.clear();
            SegmentRule.ageConditions(JSON.readTree("{\"any\":[" + single + "]}"), 5, errors);
            assertThat(errors).extracting(InvalidRuleException.Error::pointer).as(single).containsExactly("/any/0/op");
        }
        errors.clear();
        SegmentRule.ageConditions(JSON.readTree("{\"attr\":\"age\",\"op\":\"between\",\"value\":[31,34]}"), 5, errors);
        assertThat(errors).extracting(InvalidRuleException.Error::pointer).containsExactly("/value");
        errors.clear();
        SegmentRule.ageConditions(JSON.readTree("{\"attr\":\"age\",\"op\":\"between\",\"value\":[31,35]}"), 5, errors);
        assertThat(errors).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithAPointerToItsNode() throws Exception {
        var rule = JSON.readTree("{\"all\":[{\"attr\":\"ordres30d\",\"op\":\">=\",\"value\":3},"
                + "{\"attr\":\"orders30d\",\"op\":\"~\",\"value\":3},{\"attr\":\"averageBasket\",\"op\":\">\",\"value\":\"500\"},"
                + "{\"any\":[]},{\"inSegment\":\"nope\"},{\"attr\":\"lastOrderAt\",\"op\":\"within\",\"value\":\"last month\"},"
                + "{\"attr\":\"ordersTotal\",\"op\":\"between\",\"value\":[5,1]},{\"colour\":\"red\"}]}");
        assertThatThrownBy(() -> SegmentRule.compile(rule, Set.of("active"), new HashSet<>()))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> assertThat(e.errors()).extracting(InvalidRuleException.Error::pointer)
                        .containsExactlyInAnyOrder("/all/0/attr", "/all/1/op", "/all/2/value", "/all/3/any", "/all/4/inSegment",
                                "/all/5/value", "/all/6/value", "/all/7"));
        assertThat(SegmentRule.duration("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(SegmentRule.duration("P30D")).isEqualTo(Duration.ofDays(30));
        assertThat(SegmentRule.duration("PT12H")).isEqualTo(Duration.ofHours(12));
        assertThat(SegmentRule.duration("0d")).isNull();
    }

    @Test
    void durationsAndValuesAreBoundedSoThatNoStoredRuleFailsItsEvaluation() throws Exception {
        assertThat(SegmentRule.duration("P2000000000Y")).as("a far past Instant cannot hold").isNull();
        assertThat(SegmentRule.duration("P100Y")).isEqualTo(Duration.ofDays(36_000));
        assertThat(SegmentRule.duration("36500d")).isEqualTo(SegmentRule.LONGEST);
        assertThat(SegmentRule.duration("36501d")).isNull();
        assertThat(SegmentRule.duration("999999w")).isNull();
        assertThat(SegmentRule.duration("PT9999999999999999H")).isNull();
        assertThat(SegmentRule.duration("P2147483647Y2147483647M2147483647D")).isNull();
        var rule = JSON.readTree("{\"all\":[{\"attr\":\"lastOrderAt\",\"op\":\"within\",\"value\":\"P2000000000Y\"},"
                + "{\"attr\":\"ordersTotal\",\"op\":\">=\",\"value\":1e400},"
                + "{\"attr\":\"revenueTotal\",\"op\":\"between\",\"value\":[0,10000000000000]},"
                + "{\"attr\":\"ordersTotal\",\"op\":\"in\",\"value\":[1,-1e300]},"
                + "{\"attr\":\"city\",\"op\":\"=\",\"value\":\"" + "x".repeat(201) + "\"},"
                + "{\"attr\":\"city\",\"op\":\"in\",\"value\":[\"izmir\",3]},"
                + "{\"attr\":\"lastOrderAt\",\"op\":\"after\",\"value\":\"+100000-01-01T00:00:00Z\"},"
                + "{\"attr\":\"lastOrderAt\",\"op\":\"notWithin\",\"value\":42}]}");
        assertThatThrownBy(() -> SegmentRule.compile(rule, Set.of(), new HashSet<>()))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> assertThat(e.errors()).extracting(InvalidRuleException.Error::pointer)
                        .containsExactlyInAnyOrder("/all/0/value", "/all/1/value", "/all/2/value", "/all/3/value/1", "/all/4/value",
                                "/all/5/value/1", "/all/6/value", "/all/7/value"));
        StringBuilder wide = new StringBuilder("{\"any\":[");
        for (int i = 0; i < SegmentRule.MOST_NODES; i++) {
            wide.append(i == 0 ? "" : ",").append("{\"attr\":\"ordersTotal\",\"op\":\"=\",\"value\":").append(i).append('}');
        }
        assertThatThrownBy(() -> SegmentRule.compile(JSON.readTree(wide + "]}"), Set.of(), new HashSet<>()))
                .isInstanceOfSatisfying(InvalidRuleException.class, e -> assertThat(e.errors()).extracting(InvalidRuleException.Error::pointer)
                        .containsExactly("/"));
        // the largest values still allowed evaluate
        var far = JSON.readTree("{\"all\":[{\"attr\":\"lastOrderAt\",\"op\":\"notWithin\",\"value\":\"36500d\"},"
                + "{\"attr\":\"revenueTotal\",\"op\":\"<=\",\"value\":1000000000000}]}");
        P p = new P();
        assertThat(SegmentRule.compile(far, Set.of(), new HashSet<>()).test(p.build(), NOW, Set.of())).isFalse();
    }

    @Test
    void aSegmentWhoseEvaluationFailsIsSetAsideWithThoseReferringToItAndTheOthersAreEvaluated() throws Exception {
        BuiltInSegments.Definition failing = new BuiltInSegments.Definition("failing", "f", null, JSON.readTree("{}"), false);
        BuiltInSegments.Definition referring = new BuiltInSegments.Definition("referring", "r", null, JSON.readTree("{}"), false);
        BuiltInSegments.Definition fine = new BuiltInSegments.Definition("fine", "ok", null, JSON.readTree("{}"), false);
        java.util.List<SegmentCatalog.Compiled> segments = java.util.List.of(
                new SegmentCatalog.Compiled(failing, (p, now, m) -> { throw new java.time.DateTimeException("out of range"); }, Set.of(), null),
                new SegmentCatalog.Compiled(referring, (p, now, m) -> m.contains("failing"), Set.of("failing"), null),
                new SegmentCatalog.Compiled(fine, (p, now, m) -> true, Set.of(), null));
        Map<String, String> failures = new java.util.HashMap<>();
        assertThat(SegmentCatalog.evaluate(segments, new P().build(), NOW, failures)).containsExactly("fine");
        assertThat(failures).containsOnlyKeys("failing", "referring");
        assertThat(failures.values()).noneMatch(why -> why.contains("out of range"));
        assertThat(SegmentCatalog.ids(segments, failures.keySet())).containsExactly("fine");
    }
}
