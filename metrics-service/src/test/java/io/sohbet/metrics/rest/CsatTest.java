package io.sohbet.metrics.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.metrics.service.EngagementFacts;
import io.sohbet.metrics.service.Feedback;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sohbet.metrics.rest.FactWriter.await;
import static io.sohbet.metrics.rest.MetricsResourceTest.analyst;
import static org.hamcrest.Matchers.equalTo;

/**
 * CSAT counts only answers to a CSAT question: the survey's own button ids ({@code csat_1} … {@code csat_5}) whatever
 * they quote, and any other score (a digit typed or tapped, 👍 / 👎) only when the campaign message it is credited to
 * (quoted, else the last one within the reply window) is marked as a CSAT survey. A "1" chosen from a menu is not a
 * score. The marker may come after the answer.
 */
@QuarkusTest
class CsatTest {

    @Inject
    EngagementFacts facts;

    @Inject
    Feedback feedback;

    @Test
    void onlyAnswersToTheSurveyCount() throws Throwable {
        String run = Long.toHexString(System.nanoTime());
        Instant t = Instant.parse("2040-01-06T07:00:00Z").plus(Duration.ofHours(Math.floorMod(System.nanoTime(), 50_000)));
        String survey = "c-csat-" + run;
        String promo = "c-promo-" + run;
        FactWriter w = new FactWriter(facts);

        // s1: taps the survey's button csat_5 → 5 for the survey
        await(w.survey(s(run, 1), m(run, 1), survey, t));
        await(w.tap(s(run, 1), in(run, 1), t.plusSeconds(60), "csat_5", "5 ⭐", m(run, 1)));
        // s2: the survey's button quoting a promotion still counts, for the promotion
        await(w.message(s(run, 2), m(run, 2), promo, "A", "template", t));
        await(w.tap(s(run, 2), in(run, 2), t.plusSeconds(60), "CSAT_4", null, m(run, 2)));
        // s3: "1" chosen from a menu (a promotion's list) is no score
        await(w.message(s(run, 3), m(run, 3), promo, "A", "interactive", t));
        await(w.tap(s(run, 3), in(run, 3), t.plusSeconds(60), "1", "1", m(run, 3)));
        // s4: "2" typed quoting a promotion is no score
        await(w.message(s(run, 4), m(run, 4), promo, "A", "text", t));
        await(typed(s(run, 4), in(run, 4), t.plusSeconds(60), "2", m(run, 4)));
        // s5: "2" typed an hour after the survey, quoting nothing → 2 for the survey
        await(w.survey(s(run, 5), m(run, 5), survey, t));
        await(typed(s(run, 5), in(run, 5), t.plus(Duration.ofHours(1)), " 2. ", null));
        // s6: 👍 on the survey → 5
        await(w.survey(s(run, 6), m(run, 6), survey, t));
        await(w.reply(s(run, 6), in(run, 6), t.plusSeconds(90), "reaction", null, "👍", null, m(run, 6)));
        // s7: a promotion came after the survey: "3" typed without a quote answers the promotion (not counted); "1"
        // quoting the survey answers it
        await(w.survey(s(run, 7), m(run, 7), survey, t));
        await(w.message(s(run, 7), m(run, 7) + ".p", promo, "A", "template", t.plus(Duration.ofHours(1))));
        await(typed(s(run, 7), in(run, 7) + ".a", t.plus(Duration.ofHours(2)), "3", null));
        await(typed(s(run, 7), in(run, 7) + ".b", t.plus(Duration.ofHours(3)), "1", m(run, 7)));
        // s8: the answer (a title "4") is stored before its survey's campaign.message
        await(w.tap(s(run, 8), in(run, 8), t.plusSeconds(60), "row-4", "4", m(run, 8)));
        await(w.survey(s(run, 8), m(run, 8), survey, t));
        // s9: "5" typed four days after the survey (reply window: 3 days), quoting nothing, answers nothing
        await(w.survey(s(run, 9), m(run, 9), survey, t));
        await(typed(s(run, 9), in(run, 9), t.plus(Duration.ofDays(4)), "5", null));
        // s10: the survey's button with no campaign message known counts, in no campaign
        await(w.tap(s(run, 10), in(run, 10), t.plusSeconds(60), "csat_3", "3", null));

        given().auth().oauth2(analyst()).queryParam("campaignId", survey).when().get("/api/metrics/csat").then().statusCode(200)
                .body("responses", equalTo(5)).body("positive", equalTo(3)).body("score", equalTo(60.0f))
                .body("byScore", equalTo(List.of(1, 1, 0, 1, 2)));
        given().auth().oauth2(analyst()).queryParam("campaignId", promo).when().get("/api/metrics/csat").then().statusCode(200)
                .body("responses", equalTo(1)).body("positive", equalTo(1)).body("byScore", equalTo(List.of(0, 0, 0, 1, 0)));
        given().auth().oauth2(analyst()).queryParam("from", t.toString()).queryParam("to", t.plus(Duration.ofDays(5)).toString())
                .when().get("/api/metrics/csat").then().statusCode(200)
                .body("responses", equalTo(7)).body("byScore", equalTo(List.of(1, 1, 1, 2, 2)));
    }

    /**
     * A text reply without a message id (Meta always sends one; a broken or forged delivery may not) is no fact and no
     * feedback: it is skipped, not failed (a failure dead-lettered the record).
     */
    @Test
    void aTypedReplyWithoutAMessageIdIsSkipped() throws Throwable {
        String subject = "csat" + System.nanoTime() + "noidpadding";
        await(typed(subject, null, Instant.now(), "çok kötü bir deneyim", null));
    }

    /** A text reply, sealed with the subject's key as webhook-service seals it, stored and read as the listener does. */
    Uni<Void> typed(String subject, String wamid, Instant at, String text, String context) {
        String sealed = FieldCipher.encrypt(KeyVaultStandIn.keyOf(subject), subject, text);
        WaInbound m = new WaInbound(wamid, "pn", at, "text", "text", null, sealed, text.length(), null, null, null, null, null, null,
                context, false, null, null, null, null, List.of());
        return facts.inbound(subject, m).chain(() -> feedback.reply(subject, m));
    }

    static String s(String run, int i) {
        return "csat" + run + "s" + i + "padding";
    }

    static String m(String run, int i) {
        return "wamid.csat." + run + "." + i;
    }

    static String in(String run, int i) {
        return "in.csat." + run + "." + i;
    }
}
