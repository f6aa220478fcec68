package io.sohbet.metrics.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.metrics.testing.MessageStateRows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An erased person (P) and three others in two A/B campaigns, with reads, clicks, orders (one cancelled), replies (one
 * quoting the message), CSAT, an opt-out, a segment, feedback and a service conversation with a resolution. Every figure
 * the API gives is read before and after the fold: all stay the same except the unique counts over several of P's
 * units, which count P once per unit (as ErasureFolding's javadoc says), and the urgent list's ids. Then nothing in the
 * database points to P any more, and no token is shared by two units.
 */
@QuarkusTest
class ErasureFoldingTest {

    static final String MESSAGE_ID_KEY = "dev-message-id-key-not-for-production";
    static final List<String> TABLES = List.of("message_state", "link_click", "inbound_message", "shop_order", "opt_out",
            "segment_membership", "conversation_resolution", "feedback");

    @Inject
    Pool pool;
    @Inject
    EngagementFacts facts;
    @Inject
    Feedback feedback;
    @Inject
    Conversations conversations;
    @Inject
    ErasureFolding folding;

    /** One of P's messages: the unit it is folded into and the dimensions and facts of the summary groups. */
    record Unit(String unit, String campaign, String variant, String type, String window, boolean read, boolean clicked,
            boolean converted, boolean optedOut, boolean replied) {
    }

    final String run = Long.toHexString(System.nanoTime());
    // a Monday 07:00 UTC (10:00 in Istanbul) in 2023 that no other test uses, different each run
    final Instant t0 = Instant.parse("2023-01-02T07:00:00Z").plus(Duration.ofDays(7L * ThreadLocalRandom.current().nextInt(50)));
    final String p = "fold" + run + "erasedP";
    final List<String> others = List.of("fold" + run + "other1", "fold" + run + "other2", "fold" + run + "other3");
    final String campaignA = "c-fold-" + run + "-a";
    final String campaignB = "c-fold-" + run + "-b";
    final String segment = "seg-fold-" + run;
    final MessageIds ids = MessageIds.withKey(MESSAGE_ID_KEY);
    final List<String> secrets = new ArrayList<>(); // P's subject id, message hashes, order ids and event ids

    @Test
    void foldingKeepsEveryFigureAndLeavesNothingThatPointsToThePerson() throws Throwable {
        load();
        Map<String, Object> before = figures();
        Map<String, List<String>> othersBefore = rowsOf(others);
        Set<String> tokensBefore = tokens();

        long changed = VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> folding.fold(tx, p)));
        // 5 campaign + 3 service messages, 3 clicks, 6 inbound, 1 feedback, 1 resolution, 2 orders, 1 opt-out, 1 membership
        assertThat(changed).isEqualTo(23);

        Map<String, Object> after = figures();
        // each of the three checks is reported on its own (all of them fail for the old re-keying to one token)
        org.junit.jupiter.api.Assertions.assertAll(() -> sameFigures(before, after), this::nothingPointsToThePerson,
                () -> {
                    // each token stays within one unit: one campaign's messages, one campaign's clicks of one link, one
                    // part of the conversation, one reply
                    Map<String, Set<String>> unitsByToken = unitsByToken(tokensBefore);
                    assertThat(unitsByToken).hasSize(2 + 2 + 2 + 1).allSatisfy((token, units) -> assertThat(units).as(token).hasSize(1));
                    assertThat(unitsByToken.values().stream().flatMap(Set::stream).distinct()).hasSize(7);
                });

        // other people's rows are untouched
        assertThat(rowsOf(others)).isEqualTo(othersBefore);

        // a second fold finds nothing and changes nothing
        List<String> tokens = new ArrayList<>(unitsByToken(tokensBefore).keySet());
        Map<String, List<String>> folded = rowsOf(tokens);
        long again = VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> folding.fold(tx, p)));
        assertThat(again).isZero();
        assertThat(rowsOf(tokens)).isEqualTo(folded);
        assertThat(figures()).isEqualTo(after);
    }

    @Test
    void anErasureWhoseFoldFailsIsRetriedAndAcknowledged() throws Throwable {
        String subject = "fold" + run + "retried";
        MessageStateRows.insert(pool, subject);
        // the first attempt fails in the fold (as on a row written meanwhile, or a transient database error); a
        // sequence is not rolled back with it, so the second attempt passes
        String fault = "fold_test_fault_" + run;
        sql("CREATE SEQUENCE " + fault);
        sql("CREATE FUNCTION " + fault + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF nextval('" + fault
                + "') = 1 THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$");
        sql("CREATE TRIGGER " + fault + " BEFORE UPDATE ON message_state FOR EACH ROW WHEN (OLD.subject_id = '" + subject
                + "') EXECUTE FUNCTION " + fault + "()");
        try {
            assertThat(ErasureRequests.rowsAffected(ErasureRequests.deliver(subject, "metrics-service", 1))).containsExactly(1L);
            long attempts = VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT last_value FROM " + fault).execute())
                    .iterator().next().getLong(0);
            assertThat(attempts).as("folds of the subject's message").isEqualTo(2);
            long left = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                    "SELECT count(*) FROM message_state WHERE subject_id = $1").execute(Tuple.of(subject))).iterator().next().getLong(0);
            assertThat(left).isZero();
        } finally {
            sql("DROP TRIGGER IF EXISTS " + fault + " ON message_state");
            sql("DROP FUNCTION IF EXISTS " + fault + "()");
            sql("DROP SEQUENCE IF EXISTS " + fault);
        }
    }

    void sql(String statement) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.query(statement).execute());
    }

    void sameFigures(Map<String, Object> before, Map<String, Object> after) {
        for (String figure : before.keySet()) {
            if (figure.startsWith("range summary") || figure.startsWith("range read-times")) {
                assertPersonCountedOncePerUnit(figure, before.get(figure), after.get(figure));
            } else if (figure.startsWith("feedback")) {
                assertThat(withoutUrgentIds(after.get(figure))).as(figure).isEqualTo(withoutUrgentIds(before.get(figure)));
            } else {
                assertThat(after.get(figure)).as(figure).isEqualTo(before.get(figure));
            }
        }
        // the figures are not trivially equal: P's rows are in them
        assertThat(before.get("campaign " + campaignA + " click-through").toString()).contains("clicked=2");
    }

    /** No subject id, message hash, order id or event id of P, in any column of any table. */
    void nothingPointsToThePerson() throws Throwable {
        for (String secret : secrets) {
            for (String table : TABLES) {
                long rows = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT count(*) FROM " + table + " t "
                        + "WHERE strpos(t::text, $1) > 0").execute(Tuple.of(secret))).iterator().next().getLong(0);
                assertThat(rows).as("rows of %s holding %s", table, secret).isZero();
            }
        }
    }

    @Test
    void aConversationIsCutOnlyWhereNothingReachesAcross() {
        Duration day = Duration.ofHours(24);
        Instant t = Instant.parse("2026-01-05T07:00:00Z");
        List<ConversationTimes.Point> timeline = List.of(
                new ConversationTimes.Point(t, ConversationTimes.Kind.CUSTOMER),
                // unanswered across a pause: the reply two days later answers it, so no cut
                new ConversationTimes.Point(t.plus(Duration.ofDays(2)), ConversationTimes.Kind.CUSTOMER),
                new ConversationTimes.Point(t.plus(Duration.ofDays(2)).plusSeconds(60), ConversationTimes.Kind.BUSINESS),
                new ConversationTimes.Point(t.plus(Duration.ofDays(2)).plusSeconds(120), ConversationTimes.Kind.RESOLVED),
                // resolved, but less than a day later: no cut
                new ConversationTimes.Point(t.plus(Duration.ofDays(2)).plusSeconds(3600), ConversationTimes.Kind.CUSTOMER),
                new ConversationTimes.Point(t.plus(Duration.ofDays(2)).plusSeconds(3700), ConversationTimes.Kind.BUSINESS),
                // answered and a day of silence: a cut
                new ConversationTimes.Point(t.plus(Duration.ofDays(4)), ConversationTimes.Kind.CUSTOMER),
                // a reply after a day of silence starts nothing: no cut before it
                new ConversationTimes.Point(t.plus(Duration.ofDays(6)), ConversationTimes.Kind.BUSINESS),
                new ConversationTimes.Point(t.plus(Duration.ofDays(8)), ConversationTimes.Kind.CUSTOMER));
        assertThat(ConversationTimes.independentStarts(timeline, day)).containsExactly(t.plus(Duration.ofDays(4)),
                t.plus(Duration.ofDays(8)));
        assertThat(ErasureFolding.part(List.of(t.plus(Duration.ofDays(4))), t.plus(Duration.ofDays(4)))).isEqualTo(1);
        assertThat(ErasureFolding.part(List.of(t.plus(Duration.ofDays(4))), t)).isZero();
    }

    /** What P's messages are folded into, as the summary groups them (send windows in Istanbul). */
    List<Unit> personsMessages() {
        return List.of(
                // A0 read and answered (quoted); A1 holds the last touch before the order (its click, later than A0's read)
                new Unit("campaign A", campaignA, "A", "template", "09-12", true, true, false, false, true),
                new Unit("campaign A", campaignA, "A", "template", "09-12", false, true, true, false, false),
                // B0 read; B2, the last sent, gets the text reply and the opt-out
                new Unit("campaign B", campaignB, "A", "image", "09-12", true, true, false, false, false),
                new Unit("campaign B", campaignB, "A", "image", "09-12", false, true, false, false, false),
                new Unit("campaign B", campaignB, "A", "image", "09-12", false, true, false, true, true),
                new Unit("conversation 0", null, null, null, "12-15", false, false, false, false, false),
                new Unit("conversation 1", null, null, null, "15-18", false, false, false, false, false),
                new Unit("conversation 1", null, null, null, "15-18", false, false, false, false, false));
    }

    void load() throws Throwable {
        List<Supplier<Uni<Void>>> writes = new ArrayList<>();
        Instant a = t0;
        Instant b = t0.plus(Duration.ofDays(2));
        secrets.add(p);
        // campaign A: P (A, two messages), o1 (B), o2 (A), o3 (B, failed); campaign B: P (A, three), o1 (A), o2 (B)
        String[][] sends = {{campaignA, p, "A", "0"}, {campaignA, p, "A", "1"}, {campaignA, others.get(0), "B", "0"},
                {campaignA, others.get(1), "A", "0"}, {campaignA, others.get(2), "B", "0"}, {campaignB, p, "A", "0"},
                {campaignB, p, "A", "1"}, {campaignB, p, "A", "2"}, {campaignB, others.get(0), "A", "0"},
                {campaignB, others.get(1), "B", "0"}};
        for (String[] s : sends) {
            boolean inA = s[0].equals(campaignA);
            Instant at = (inA ? a : b).plusSeconds(Long.parseLong(s[3]));
            String wamid = wamid(s[0], s[1], s[3]);
            // A's messages ask the CSAT question, B's do not
            writes.add(() -> facts.campaignMessage(s[1], new CampaignMessage(wamid, s[0], s[2], inA ? "template" : "image", at, inA)));
            writes.add(() -> facts.status(s[1], status(wamid, "sent", at.plusSeconds(1), null)));
            if (s[1].equals(others.get(2))) {
                writes.add(() -> facts.status(s[1], status(wamid, "failed", at.plusSeconds(3), 131049)));
            } else {
                writes.add(() -> facts.status(s[1], status(wamid, "delivered", at.plusSeconds(5), null)));
            }
            if (s[1].equals(p)) {
                secrets.add(ids.of(wamid));
            }
        }
        read(writes, campaignA, p, "0", a.plus(Duration.ofHours(1)));
        read(writes, campaignA, others.get(0), "0", a.plus(Duration.ofHours(2)));
        read(writes, campaignA, others.get(1), "0", a.plus(Duration.ofHours(10)));
        read(writes, campaignB, p, "0", b.plus(Duration.ofHours(1)));
        read(writes, campaignB, others.get(0), "0", b.plus(Duration.ofMinutes(30)));
        // clicks: P twice on A's link, once on B's; o1 on A's, o2 on B's
        click(writes, p, campaignA, "A", "LA" + run, a.plus(Duration.ofMinutes(65)));
        click(writes, p, campaignA, "A", "LA" + run, a.plus(Duration.ofMinutes(70)));
        click(writes, others.get(0), campaignA, "B", "LA" + run, a.plus(Duration.ofHours(3)));
        click(writes, p, campaignB, "A", "LB" + run, b.plus(Duration.ofHours(2)));
        click(writes, others.get(1), campaignB, "B", "LB" + run, b.plus(Duration.ofHours(3)));
        // orders: P's first converts in campaign A, the second (after B) is cancelled; o1 converts in B
        order(writes, p, "order-p1-" + run, a.plus(Duration.ofDays(1)), false);
        order(writes, p, "order-p2-" + run, b.plus(Duration.ofHours(5)), true);
        order(writes, others.get(0), "order-o1-" + run, b.plus(Duration.ofHours(4)), false);
        // P opts out after B
        String optOut = "consent:" + run + ":p";
        secrets.add(optOut);
        writes.add(() -> facts.optOut(optOut, p, b.plus(Duration.ofHours(6)), "whatsapp-stop-reply"));
        // replies: P answers the survey quoting A's message (5), o2 quoting its own (2); P, o1 and o2 write texts after B
        inbound(writes, p, "in.p.csat." + run, a.plus(Duration.ofHours(2)), "interactive", "csat_5", ids.of(wamid(campaignA, p, "0")));
        inbound(writes, others.get(1), "in.o2.csat." + run, a.plus(Duration.ofHours(11)), "interactive", "csat_2",
                ids.of(wamid(campaignA, others.get(1), "0")));
        // P's 👍 on A's survey counts (5) by its context, P's 👎 on B's promotion does not: the fold keeps both so
        reaction(writes, p, "in.p.up." + run, a.plus(Duration.ofHours(3)), "👍", ids.of(wamid(campaignA, p, "0")));
        reaction(writes, p, "in.p.down." + run, b.plus(Duration.ofMinutes(90)), "👎", ids.of(wamid(campaignB, p, "0")));
        text(writes, p, "in.p.text." + run, b.plus(Duration.ofHours(3)), "Kargo çok geç geldi, rezalet! Acil iade istiyorum");
        text(writes, others.get(0), "in.o1.text." + run, b.plus(Duration.ofHours(4)), "Kargo gecikti ama ürün güzel");
        text(writes, others.get(1), "in.o2.text." + run, b.plus(Duration.ofHours(5)), "Harika ürün, teşekkürler");
        // service conversations: a business reply to P's text (13:10 in Istanbul), then two days later a new
        // conversation (16:00) with two answers and an explicit resolution; o1 asks once and is answered
        service(writes, p, "svc.p.0." + run, b.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(10)));
        Instant talk = t0.plus(Duration.ofDays(4)).plus(Duration.ofHours(6));
        inbound(writes, p, "in.p.svc1." + run, talk, "text", null, null);
        service(writes, p, "svc.p.1." + run, talk.plus(Duration.ofMinutes(12)));
        inbound(writes, p, "in.p.svc2." + run, talk.plus(Duration.ofMinutes(30)), "text", null, null);
        service(writes, p, "svc.p.2." + run, talk.plus(Duration.ofMinutes(40)));
        writes.add(() -> conversations.resolve(p, talk.plus(Duration.ofHours(1)), "agent-ayse"));
        inbound(writes, others.get(0), "in.o1.svc." + run, talk.plus(Duration.ofMinutes(5)), "text", null, null);
        service(writes, others.get(0), "svc.o1." + run, talk.plus(Duration.ofMinutes(25)));
        // segment: P in it when A was sent, gone before B; o1 in it throughout
        writes.add(() -> facts.membership(p, segment, "entered", a.minus(Duration.ofDays(1))));
        writes.add(() -> facts.membership(p, segment, "left", a.plus(Duration.ofDays(1))));
        writes.add(() -> facts.membership(others.get(0), segment, "entered", a.minus(Duration.ofDays(1))));
        for (Supplier<Uni<Void>> write : writes) {
            VertxContextSupport.subscribeAndAwait(write::get);
        }
    }

    String wamid(String campaign, String subject, String n) {
        return "wamid." + campaign + "." + subject + "." + n;
    }

    void read(List<Supplier<Uni<Void>>> writes, String campaign, String subject, String n, Instant at) {
        writes.add(() -> facts.status(subject, status(wamid(campaign, subject, n), "read", at, null)));
    }

    void click(List<Supplier<Uni<Void>>> writes, String subject, String campaign, String variant, String link, Instant at) {
        String id = "link.click:" + java.util.UUID.randomUUID();
        if (subject.equals(p)) {
            secrets.add(id);
        }
        writes.add(() -> facts.click(id, subject, new LinkClick(campaign, variant, link, "https://shop.example/" + link, at)));
    }

    void order(List<Supplier<Uni<Void>>> writes, String subject, String id, Instant at, boolean cancel) {
        if (subject.equals(p)) {
            secrets.add(id);
        }
        writes.add(() -> facts.commerce(subject, new CommerceEvent(id, "order.created", at, id, null, new BigDecimal("420.00"), "TRY",
                List.of(), null)));
        if (cancel) {
            writes.add(() -> facts.commerce(subject, new CommerceEvent(id + ":x", "order.cancelled", at.plusSeconds(600), id, null, null,
                    null, List.of(), null)));
        }
    }

    void inbound(List<Supplier<Uni<Void>>> writes, String subject, String wamid, Instant at, String type, String replyId, String context) {
        if (subject.equals(p)) {
            secrets.add(ids.of(wamid));
        }
        writes.add(() -> facts.inbound(subject, new WaInbound(wamid, "pn", at, type, type, null, null, null, null, null, replyId, null,
                null, null, context, false, null, null, null, null, List.of())));
    }

    void reaction(List<Supplier<Uni<Void>>> writes, String subject, String wamid, Instant at, String emoji, String to) {
        if (subject.equals(p)) {
            secrets.add(ids.of(wamid));
        }
        writes.add(() -> facts.inbound(subject, new WaInbound(wamid, "pn", at, "reaction", "reaction", null, null, null, null, null,
                null, null, emoji, to, null, false, null, null, null, null, List.of())));
    }

    void text(List<Supplier<Uni<Void>>> writes, String subject, String wamid, Instant at, String text) {
        if (subject.equals(p)) {
            secrets.add(ids.of(wamid));
        }
        String sealed = FieldCipher.encrypt(KeyVaultStandIn.keyOf(subject), subject, text);
        WaInbound m = new WaInbound(wamid, "pn", at, "text", "text", null, sealed, text.length(), null, null, null, null, null, null,
                null, false, null, null, null, null, List.of());
        writes.add(() -> facts.inbound(subject, m).chain(() -> feedback.reply(subject, m)));
    }

    void service(List<Supplier<Uni<Void>>> writes, String subject, String wamid, Instant at) {
        if (subject.equals(p)) {
            secrets.add(ids.of(wamid));
        }
        writes.add(() -> facts.status(subject, status(wamid, "sent", at, null)));
    }

    static WaStatus status(String wamid, String status, Instant at, Integer error) {
        return new WaStatus(wamid, status, at, "pn", "individual", null, null, null, null, null, null, null,
                error == null ? List.of() : List.of(new WaError(error, "limit", null, null)));
    }

    /** Every figure the API gives about this run's data, by name. */
    Map<String, Object> figures() {
        Map<String, Object> out = new LinkedHashMap<>();
        String from = t0.minus(Duration.ofDays(2)).toString();
        String to = t0.plus(Duration.ofDays(6)).toString();
        for (String c : List.of(campaignA, campaignB)) {
            for (String metric : List.of("open", "click-through", "conversion", "engagement")) {
                out.put("campaign " + c + " " + metric, get("/api/metrics/campaigns/" + c, Map.of("metric", metric)));
            }
            for (String by : List.of("all", "campaign", "variant", "type", "send-window")) {
                out.put("summary " + c + " " + by, get("/api/metrics/summary", Map.of("campaignId", c, "by", by)));
                out.put("summary " + c + " " + by + " segment",
                        get("/api/metrics/summary", Map.of("campaignId", c, "by", by, "segmentId", segment)));
                out.put("summary " + c + " " + by + " range", get("/api/metrics/summary", Map.of("campaignId", c, "by", by,
                        "from", t0.plus(Duration.ofDays(1)).toString(), "to", to)));
            }
            out.put("failures " + c, get("/api/metrics/failures", Map.of("campaignId", c)));
            out.put("read-times " + c, get("/api/metrics/read-times", Map.of("campaignId", c)));
            out.put("read-times " + c + " segment", get("/api/metrics/read-times", Map.of("campaignId", c, "segmentId", segment)));
            out.put("links " + c, get("/api/metrics/links", Map.of("campaignId", c)));
            out.put("csat " + c, get("/api/metrics/csat", Map.of("campaignId", c)));
            out.put("feedback " + c, get("/api/metrics/feedback", Map.of("campaignId", c)));
        }
        for (String by : List.of("all", "campaign", "variant", "type", "send-window")) {
            out.put("range summary " + by, get("/api/metrics/summary", Map.of("by", by, "from", from, "to", to)));
            out.put("range summary " + by + " segment", get("/api/metrics/summary", Map.of("by", by, "from", from, "to", to,
                    "segmentId", segment)));
        }
        out.put("range read-times", get("/api/metrics/read-times", Map.of("from", from, "to", to)));
        out.put("range read-times segment", get("/api/metrics/read-times", Map.of("from", from, "to", to, "segmentId", segment)));
        out.put("failures range", get("/api/metrics/failures", Map.of("from", from, "to", to)));
        out.put("links range", get("/api/metrics/links", Map.of("from", from, "to", to)));
        out.put("csat range", get("/api/metrics/csat", Map.of("from", from, "to", to)));
        out.put("feedback range", get("/api/metrics/feedback", Map.of("from", from, "to", to)));
        // conversations over the whole week, and over ranges that cut it (the parts must add up for any range)
        for (int start = 0; start <= 5; start++) {
            for (int end = start + 1; end <= 6; end++) {
                out.put("conversations " + start + "-" + end, get("/api/metrics/conversations", Map.of(
                        "from", t0.plus(Duration.ofDays(start)).toString(), "to", t0.plus(Duration.ofDays(end)).toString())));
            }
        }
        return out;
    }

    static Object get(String path, Map<String, String> query) {
        Response r = given().auth().oauth2(TestTokens.person("sohbet-metrics", "deniz", "analyst").sign())
                .queryParams(query).when().get(path);
        r.then().statusCode(200);
        return r.jsonPath().get("$");
    }

    /**
     * A figure over both campaigns and the service conversation: each unique count is what it was plus, in each group, one
     * for every unit of P beyond the first that has the fact (P counts once per unit); message counts stay.
     */
    @SuppressWarnings("unchecked")
    void assertPersonCountedOncePerUnit(String figure, Object before, Object after) {
        String by = figure.contains("read-times") ? "send-window" : figure.split(" ")[2];
        boolean inSegment = figure.endsWith("segment");
        List<Map<String, Object>> groupsBefore = (List<Map<String, Object>>) ((Map<String, Object>) before)
                .get(figure.contains("read-times") ? "sendWindows" : "groups");
        List<Map<String, Object>> groupsAfter = (List<Map<String, Object>>) ((Map<String, Object>) after)
                .get(figure.contains("read-times") ? "sendWindows" : "groups");
        if (figure.contains("read-times")) {
            assertThat(((Map<String, Object>) after).get("hourly")).as(figure).isEqualTo(((Map<String, Object>) before).get("hourly"));
        }
        assertThat(groupsAfter).as(figure).hasSameSizeAs(groupsBefore);
        Map<String, String> facts = Map.of("recipients", "", "readers", "read", "clicked", "clicked", "converted", "converted",
                "optedOut", "optedOut", "replied", "replied", "engaged", "engaged");
        int changedGroups = 0;
        for (int g = 0; g < groupsBefore.size(); g++) {
            Map<String, Object> b = new HashMap<>(groupsBefore.get(g));
            Map<String, Object> a = new HashMap<>(groupsAfter.get(g));
            Object dimension = b.get("dimension");
            boolean changed = false;
            for (Map.Entry<String, String> f : facts.entrySet()) {
                Set<String> units = new TreeSet<>();
                for (Unit m : personsMessages()) {
                    boolean inGroup = switch (by) {
                        case "campaign" -> java.util.Objects.equals(m.campaign(), dimension);
                        case "variant" -> java.util.Objects.equals(m.variant(), dimension);
                        case "type" -> java.util.Objects.equals(m.type(), dimension);
                        case "send-window" -> java.util.Objects.equals(m.window(), dimension);
                        default -> true;
                    };
                    // P was in the segment only when campaign A's messages were sent
                    inGroup &= !inSegment || campaignA.equals(m.campaign());
                    boolean has = switch (f.getValue()) {
                        case "read" -> m.read();
                        case "clicked" -> m.clicked();
                        case "converted" -> m.converted();
                        case "optedOut" -> m.optedOut();
                        case "replied" -> m.replied();
                        case "engaged" -> m.replied() || m.clicked();
                        default -> true;
                    };
                    if (inGroup && has) {
                        units.add(m.unit());
                    }
                }
                int extra = Math.max(0, units.size() - 1);
                assertThat(((Number) a.get(f.getKey())).intValue()).as("%s %s %s", figure, dimension, f.getKey())
                        .isEqualTo(((Number) b.get(f.getKey())).intValue() + extra);
                changed |= extra > 0;
                a.remove(f.getKey());
                b.remove(f.getKey());
            }
            if (changed) { // rates made from the unique counts follow them
                changedGroups++;
                for (String rate : List.of("clickThroughRate", "conversionRate", "optOutRate", "engagementRate")) {
                    a.remove(rate);
                    b.remove(rate);
                }
            }
            assertThat(a).as("%s %s", figure, dimension).isEqualTo(b);
        }
        if (!inSegment) { // each such figure has a group where P's units add up (the assertion above is not vacuous)
            assertThat(changedGroups).as(figure).isPositive();
        }
    }

    @SuppressWarnings("unchecked")
    static Object withoutUrgentIds(Object insights) {
        Map<String, Object> copy = new HashMap<>((Map<String, Object>) insights);
        copy.put("urgent", ((List<Map<String, Object>>) copy.get("urgent")).stream().map(u -> {
            Map<String, Object> v = new HashMap<>(u);
            v.remove("messageId");
            v.remove("subjectId");
            return v;
        }).toList());
        return copy;
    }

    /** Each table's rows of these subjects, as text. */
    Map<String, List<String>> rowsOf(List<String> subjects) throws Throwable {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : TABLES) {
            List<String> rows = new ArrayList<>();
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT t::text FROM " + table + " t WHERE subject_id = ANY($1) "
                    + "ORDER BY 1").execute(Tuple.of(subjects.toArray(String[]::new))).invoke(rs -> rs.forEach(r -> rows.add(r.getString(0)))));
            out.put(table, rows);
        }
        return out;
    }

    /** The erased tokens now in the database. */
    Set<String> tokens() throws Throwable {
        Set<String> out = new HashSet<>();
        for (String table : TABLES) {
            VertxContextSupport.subscribeAndAwait(() -> pool.query("SELECT DISTINCT subject_id FROM " + table
                    + " WHERE subject_id LIKE 'erased-%'").execute().invoke(rs -> rs.forEach(r -> out.add(r.getString(0)))));
        }
        return out;
    }

    /** The units the rows of each new token belong to: campaign (messages), campaign and link (clicks), part of the conversation, reply. */
    Map<String, Set<String>> unitsByToken(Set<String> tokensBefore) throws Throwable {
        Instant cut = t0.plus(Duration.ofDays(3)); // the conversation's two parts are before and after this
        String lo = t0.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC).toString();
        String hi = t0.plus(Duration.ofDays(7)).atOffset(ZoneOffset.UTC).toString();
        Map<String, Set<String>> out = new HashMap<>();
        String[] queries = {
            "SELECT subject_id, 'messages ' || COALESCE(campaign_id, CASE WHEN sent_at < $3 THEN 'part 0' ELSE 'part 1' END) "
                + "FROM message_state WHERE subject_id LIKE 'erased-%' AND sent_at >= $1 AND sent_at < $2",
            "SELECT subject_id, 'clicks ' || campaign_id || ' ' || link_id FROM link_click WHERE subject_id LIKE 'erased-%' "
                + "AND clicked_at >= $1 AND clicked_at < $2 AND $3::timestamptz IS NOT NULL",
            "SELECT subject_id, 'messages ' || CASE WHEN received_at < $3 THEN 'part 0' ELSE 'part 1' END FROM inbound_message "
                + "WHERE subject_id LIKE 'erased-%' AND received_at >= $1 AND received_at < $2",
            "SELECT subject_id, 'messages ' || CASE WHEN resolved_at < $3 THEN 'part 0' ELSE 'part 1' END FROM conversation_resolution "
                + "WHERE subject_id LIKE 'erased-%' AND resolved_at >= $1 AND resolved_at < $2",
            "SELECT subject_id, 'reply ' || wamid FROM feedback WHERE subject_id LIKE 'erased-%' AND received_at >= $1 AND received_at < $2 "
                + "AND $3::timestamptz IS NOT NULL"};
        for (String sql : queries) {
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.of(java.time.OffsetDateTime.parse(lo),
                    java.time.OffsetDateTime.parse(hi), cut.atOffset(ZoneOffset.UTC))).invoke(rs -> {
                        for (Row r : rs) {
                            if (!tokensBefore.contains(r.getString(0))) {
                                out.computeIfAbsent(r.getString(0), k -> new TreeSet<>()).add(r.getString(1));
                            }
                        }
                    }));
        }
        return out;
    }
}
