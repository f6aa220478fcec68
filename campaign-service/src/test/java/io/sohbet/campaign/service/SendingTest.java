package io.sohbet.campaign.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.TestRows;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.LinkKeys;
import io.sohbet.events.LinkTokens;
import io.sohbet.events.MessageIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Campaigns sent end to end inside campaign-service: real PostgreSQL and Kafka, the Cloud API simulator as Meta,
 * HTTP stand-ins for consent-, segment- and metrics-service. Every test has its own audience, so they share the one
 * running dispatcher without seeing each other.
 */
@QuarkusTest
class SendingTest {

    static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    /** The hashes of message ids under the test profile's key, the one webhook-service's tests use too. */
    static final MessageIds MESSAGE_IDS = MessageIds.withKey("dev-message-id-key-not-for-production");

    @Inject
    Pool pool;

    static String marketer() {
        return TestTokens.person("sohbet-campaign", "mert", "marketer").sign();
    }

    record QueueRow(long id, String subject, String variant, String phase, String status, Instant due, String wamid,
            Integer errorCode, String errorTitle, int attempts) {
    }

    @Test
    void sendsOnceToEveryConsentingRecipientUnderTheCapWithPersonalisationAndATrackedLink() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("consent", 6, s);
        PeerStandIns.REVOKED.add(s.get(4));
        PeerStandIns.CONTACTS.remove(s.get(5));
        TestRows.sentTo(pool, "c-prior-" + s.get(3), s.get(3));
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "template", "template", Map.of("name",
                PeerStandIns.LINK_TEMPLATE, "language", "tr", "body", List.of("{{firstName|Merhaba}}")), "trackedLink",
                Map.of("id", "shop", "target", "https://shop.example/kis", "buttonIndex", 0)))));
        d.put("frequencyCap", Map.of("messages", 1, "period", "P1D"));

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CAMPAIGN_MESSAGE)) {
            String id = launch(d);
            Response done = awaitStatus(id, "completed", Duration.ofSeconds(60));
            assertThat(done.<Integer>path("audience")).isEqualTo(6);
            assertThat(done.<Integer>path("progress.sent")).isEqualTo(3);
            assertThat(done.<Integer>path("progress.skipped-no-consent")).isEqualTo(2);
            assertThat(done.<Integer>path("progress.skipped-cap")).isEqualTo(1);
            // why: one revoked, one without a number, one over the cap; the three sent carry no reason
            Response reasons = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id + "/reasons").then().statusCode(200)
                    .extract().response();
            assertThat(reasons.jsonPath().getList("reasons", Map.class)).extracting(r -> r.get("state") + "/" + r.get("code") + "/"
                    + r.get("reason") + "/" + r.get("recipients")).containsExactlyInAnyOrder("skipped-no-consent/null/no-consent/1",
                    "skipped-no-consent/null/no-contact/1", "skipped-cap/null/frequency cap reached/1");

            List<CloudApiSimulator.Sent> sent = sentTo(s);
            assertThat(sent).extracting(CloudApiSimulator.Sent::to).containsExactlyInAnyOrder(wa(s.get(0)), wa(s.get(1)), wa(s.get(2)));
            CloudApiSimulator.Sent first = sent.stream().filter(m -> m.to().equals(wa(s.get(0)))).findFirst().orElseThrow();
            var components = first.body().path("template").path("components");
            assertThat(components.get(0).path("parameters").get(0).path("text").asText()).isEqualTo("Ayşe0");
            String token = components.get(1).path("parameters").get(0).path("text").asText();
            // signed with the current key (t1 in tests), expiring after the default lifetime of 90 days
            LinkTokens.Verified link = new LinkTokens(new LinkKeys("t1", Map.of("t1", "dev-link-secret-t1-0123456789"
                    .getBytes(StandardCharsets.UTF_8))), LinkTokens.DEFAULT_LIFETIME, Optional.empty()).verify(token).orElseThrow();
            assertThat(token).startsWith("2.t1.");
            assertThat(link.link()).isEqualTo(new LinkTokens.Link(id, "a", s.get(0), "shop", "https://shop.example/kis"));
            assertThat(link.expiresAt()).isBetween(Instant.now().plus(Duration.ofDays(90)).minus(Duration.ofMinutes(5)),
                    Instant.now().plus(Duration.ofDays(90)));

            var events = kafka.await(3, r -> id.equals(r.value().dataAs(CampaignMessage.class).campaignId()), Duration.ofSeconds(20));
            assertThat(events).extracting(r -> r.value().dataAs(CampaignMessage.class).wamid())
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(m -> MESSAGE_IDS.of(m.wamid())).toList());
            assertThat(events).allSatisfy(r -> {
                assertThat(r.value().id()).startsWith("campaign.message:mid_");
                assertThat(r.value().dataAs(CampaignMessage.class).messageType()).isEqualTo("template");
                assertThat(r.key()).isIn(s.get(0), s.get(1), s.get(2));
            });
            Map<String, QueueRow> rows = rows(id);
            assertThat(rows.get(s.get(4)).errorTitle()).isEqualTo("no-consent");
            assertThat(rows.get(s.get(5)).errorTitle()).isEqualTo("no-contact");

            // progress as Server-Sent Events: the stream ends after the final state of a finished campaign
            String stream = given().auth().oauth2(marketer()).accept("text/event-stream").when().get("/api/campaigns/" + id + "/progress")
                    .then().statusCode(200).extract().asString();
            assertThat(stream).contains("data:").contains("\"status\":\"completed\"").contains("\"skipped-cap\":1");
        }
    }

    @Test
    void eachCloudApiErrorTakesItsPath() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("errors", 8, s);
        CloudApiSimulator sim = PeerStandIns.simulator;
        sim.script(wa(s.get(0)), new CloudApiSimulator.Reject(131026, "Message undeliverable", "not a WhatsApp user"));
        sim.script(wa(s.get(1)), new CloudApiSimulator.Reject(131049, "This message was not delivered to maintain healthy ecosystem engagement.", null));
        sim.script(wa(s.get(2)), new CloudApiSimulator.Reject(131056, "Pair rate limit hit", null), new CloudApiSimulator.Deliver(null));
        // (a refusal for the template's sake, 132000/132001/132015/132016, pauses the campaign instead: TemplatesTest)
        sim.script(wa(s.get(3)), new CloudApiSimulator.Reject(131009, "Parameter value is not valid", null));
        sim.script(wa(s.get(4)), new CloudApiSimulator.Reject(368, "Temporarily blocked for policies violations", null));
        sim.script(wa(s.get(5)), new CloudApiSimulator.Unavailable(), new CloudApiSimulator.Unavailable(), new CloudApiSimulator.Deliver(null));
        sim.script(wa(s.get(6)), new CloudApiSimulator.Reject(130429, "Rate limit hit", "Cloud API message throughput has been reached."),
                new CloudApiSimulator.Deliver(null));
        sim.script(wa(s.get(7)), new CloudApiSimulator.LostAnswer(Duration.ofSeconds(4)));
        String id = launch(CampaignResourceTest.draft(segment));

        Map<String, QueueRow> rows = awaitRows(id, r -> r.size() == 8
                && r.values().stream().noneMatch(q -> Set.of("queued", "sending").contains(q.status())), Duration.ofSeconds(60));
        assertThat(rows.get(s.get(0))).extracting(QueueRow::status, QueueRow::errorCode).containsExactly("failed", 131026);
        assertThat(rows.get(s.get(1))).extracting(QueueRow::status, QueueRow::errorCode).containsExactly("deferred", 131049);
        assertThat(rows.get(s.get(1)).due()).isAfter(Instant.now().plus(Duration.ofHours(23)).plus(Duration.ofMinutes(59)));
        assertThat(rows.get(s.get(2)).status()).isEqualTo("sent");
        assertThat(rows.get(s.get(3))).extracting(QueueRow::status, QueueRow::errorCode).containsExactly("failed", 131009);
        assertThat(rows.get(s.get(4))).extracting(QueueRow::status, QueueRow::errorCode).containsExactly("failed", 368);
        assertThat(rows.get(s.get(5)).status()).isEqualTo("sent");
        assertThat(rows.get(s.get(6)).status()).isEqualTo("sent");
        assertThat(rows.get(s.get(7)).status()).isEqualTo("unconfirmed");
        assertThat(rows.get(s.get(7)).errorTitle()).contains("not resent");
        // why, for the marketer: Meta's codes in our words, never Meta's titles or details (free text about the request)
        String why = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id + "/reasons").then().statusCode(200)
                .extract().asString();
        List<Map<String, Object>> reasons = io.restassured.path.json.JsonPath.from(why).getList("reasons");
        assertThat(reasons).extracting(r -> r.get("state") + "/" + r.get("code") + "/" + r.get("reason") + "/" + r.get("recipients"))
                .contains("failed/131026/" + io.sohbet.campaign.client.CloudApiErrors.meaning(131026) + "/1",
                        "deferred/131049/" + io.sohbet.campaign.client.CloudApiErrors.meaning(131049) + "/1",
                        "failed/131009/Cloud API error 131009 (see Meta's error codes)/1",
                        "failed/368/" + io.sohbet.campaign.client.CloudApiErrors.meaning(368) + "/1")
                .anyMatch(line -> line.startsWith("unconfirmed/null/") && line.endsWith("not resent/1"))
                .hasSize(5);
        assertThat(why).doesNotContain("not a WhatsApp user").doesNotContain("Message undeliverable").doesNotContain("Temporarily blocked")
                .doesNotContain("Parameter value");
        Thread.sleep(3000);
        // the lost answer was a message that went out: it is never sent again
        assertThat(sentTo(List.of(s.get(7)))).hasSize(1);
        assertThat(sentTo(s)).hasSize(4);
        assertThat(given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id).then().extract().<String>path("status"))
                .as("a deferred recipient keeps the campaign running").isEqualTo("running");

        // the status webhook of the lost answer confirms it (callback data = our row) and its campaign.message follows
        CloudApiSimulator.Sent lost = sentTo(List.of(s.get(7))).get(0);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CAMPAIGN_MESSAGE)) {
            // as webhook-service publishes it: with the keyed hash of the wamid
            String hashed = MESSAGE_IDS.of(lost.wamid());
            kafka.send(Topics.WA_STATUS, s.get(7), status(s.get(7), hashed, "delivered", Instant.now().minusSeconds(60),
                    "sohbet:" + rows.get(s.get(7)).id(), null));
            var events = kafka.await(1, r -> hashed.equals(r.value().dataAs(CampaignMessage.class).wamid()), Duration.ofSeconds(30));
            assertThat(events.get(0).value().dataAs(CampaignMessage.class).campaignId()).isEqualTo(id);
        }
        assertThat(rows(id).get(s.get(7))).extracting(QueueRow::status, QueueRow::wamid).containsExactly("sent", MESSAGE_IDS.of(lost.wamid()));
        // confirmed sent since: no longer a reason
        assertThat(given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id + "/reasons").then().statusCode(200)
                .extract().jsonPath().getList("reasons.state", String.class)).doesNotContain("unconfirmed").hasSize(4);
        cancel(id);
    }

    @Test
    void theMessagesOfACsatSurveyCampaignAreMarkedAsSuchWhenPublishedAndRepublishedAndOthersAreNot() throws Throwable {
        List<String> s = new ArrayList<>();
        String surveyed = PeerStandIns.audience("csat-survey", 2, s);
        List<String> o = new ArrayList<>();
        String others = PeerStandIns.audience("csat-none", 1, o);
        // the answer to the second survey message is lost: its event comes from the republish after its status webhook
        PeerStandIns.simulator.script(wa(s.get(1)), new CloudApiSimulator.LostAnswer(Duration.ofSeconds(4)));
        Map<String, Object> survey = CampaignResourceTest.draft(surveyed);
        survey.put("csatSurvey", true);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CAMPAIGN_MESSAGE)) {
            String surveyId = launch(survey);
            String otherId = launch(CampaignResourceTest.draft(others));
            // one poll may bring both campaigns' events: awaited together, told apart by subject
            var sent = kafka.await(2, r -> Set.of(surveyId, otherId).contains(r.value().dataAs(CampaignMessage.class).campaignId()),
                    Duration.ofSeconds(30));
            assertThat(sent).extracting(r -> r.key(), r -> r.value().dataAs(CampaignMessage.class).campaignId(),
                    r -> r.value().dataAs(CampaignMessage.class).csatSurvey())
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(s.get(0), surveyId, true),
                            org.assertj.core.groups.Tuple.tuple(o.get(0), otherId, false));

            Map<String, QueueRow> rows = awaitRows(surveyId, r -> r.containsKey(s.get(1)) && "unconfirmed".equals(r.get(s.get(1)).status()),
                    Duration.ofSeconds(30));
            String hashed = MESSAGE_IDS.of(sentTo(List.of(s.get(1))).get(0).wamid());
            kafka.send(Topics.WA_STATUS, s.get(1), status(s.get(1), hashed, "delivered", Instant.now().minusSeconds(60),
                    "sohbet:" + rows.get(s.get(1)).id(), null));
            var republished = kafka.await(1, r -> hashed.equals(r.value().dataAs(CampaignMessage.class).wamid()), Duration.ofSeconds(60));
            assertThat(republished.get(0).value().dataAs(CampaignMessage.class))
                    .extracting(CampaignMessage::campaignId, CampaignMessage::csatSurvey).containsExactly(surveyId, true);
        }
    }

    @Test
    void deliveryReadAndAsynchronousFailuresComeFromStatusWebhooks() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("statuses", 3, s);
        String id = launch(CampaignResourceTest.draft(segment));
        awaitStatus(id, "completed", Duration.ofSeconds(30));
        Map<String, QueueRow> sent = rows(id);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_STATUS, s.get(0), status(s.get(0), sent.get(s.get(0)).wamid(), "delivered", t, null, null));
            kafka.send(Topics.WA_STATUS, s.get(0), status(s.get(0), sent.get(s.get(0)).wamid(), "read", t.plusSeconds(5), null, null));
            kafka.send(Topics.WA_STATUS, s.get(0), status(s.get(0), sent.get(s.get(0)).wamid(), "read", t.plusSeconds(5), null, null));
            kafka.send(Topics.WA_STATUS, s.get(1), status(s.get(1), sent.get(s.get(1)).wamid(), "delivered", t, null, null));
            kafka.send(Topics.WA_STATUS, s.get(2), status(s.get(2), sent.get(s.get(2)).wamid(), "failed", t, null,
                    new WaError(131049, "This message was not delivered to maintain healthy ecosystem engagement.", null, null)));
        }
        Response progress = awaitCampaign(id, r -> Integer.valueOf(1).equals(r.path("progress.read"))
                && Integer.valueOf(1).equals(r.path("progress.delivered")) && Integer.valueOf(1).equals(r.path("progress.deferred")),
                Duration.ofSeconds(20));
        assertThat(progress.<Integer>path("progress.sent")).isZero();
        QueueRow deferred = rows(id).get(s.get(2));
        assertThat(deferred.due()).isEqualTo(t.plus(Duration.ofHours(24)));
        assertThat(deferred.wamid()).as("the next attempt gets a new wamid").isNull();
    }

    @Test
    void theWamidOfASendIsStoredAndPublishedOnlyAsItsKeyedHashAndStatusesFindIt() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("hashed", 2, s);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.CAMPAIGN_MESSAGE)) {
            String id = launch(CampaignResourceTest.draft(segment));
            awaitStatus(id, "completed", Duration.ofSeconds(30));
            var events = kafka.await(2, r -> id.equals(r.value().dataAs(CampaignMessage.class).campaignId()), Duration.ofSeconds(20));
            Map<String, QueueRow> rows = rows(id);
            for (String subject : s) {
                CloudApiSimulator.Sent sent = sentTo(List.of(subject)).get(0);
                String number = wa(subject);
                assertThat(io.sohbet.devstack.PhoneForms.foundIn(sent.wamid(), number.substring(2)))
                        .as("the simulator's wamid holds the number, as Meta's do").isNotEmpty();
                String hashed = MESSAGE_IDS.of(sent.wamid());
                assertThat(rows.get(subject).wamid()).as("the stored row").isEqualTo(hashed).startsWith("mid_");
                var record = events.stream().filter(r -> r.key().equals(subject)).findFirst().orElseThrow();
                assertThat(record.value().id()).isEqualTo("campaign.message:" + hashed);
                assertThat(record.value().dataAs(CampaignMessage.class).wamid()).isEqualTo(hashed);
                String published = record.key() + "\n" + new String(new io.sohbet.events.CloudEventSerializer()
                        .serialize(record.topic(), record.value()), StandardCharsets.UTF_8);
                assertThat(published).doesNotContain("wamid.").doesNotContain(sent.wamid().substring(6, 20));
                assertThat(io.sohbet.devstack.PhoneForms.foundIn(published, number.substring(2))).as(published).isEmpty();
            }
            String everything = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT string_agg(q::text, ' ') AS t "
                    + "FROM send_queue q WHERE campaign_id = $1").execute(Tuple.of(id)).map(r -> r.iterator().next().getString("t")));
            assertThat(everything).doesNotContain("wamid.");

            // a status as webhook-service publishes it (hashed id), and one published in clear before the upgrade
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            kafka.send(Topics.WA_STATUS, s.get(0), status(s.get(0), MESSAGE_IDS.of(sentTo(List.of(s.get(0))).get(0).wamid()), "read",
                    t, null, null));
            kafka.send(Topics.WA_STATUS, s.get(1), status(s.get(1), sentTo(List.of(s.get(1))).get(0).wamid(), "delivered", t, null, null));
            awaitCampaign(id, r -> Integer.valueOf(1).equals(r.path("progress.read")) && Integer.valueOf(1).equals(r.path("progress.delivered")),
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void pauseStopsSendingWithinSecondsConsentIsReadAtSendTimeAndCancelDropsTheRest() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("pause", 40, s);
        String id = launch(CampaignResourceTest.draft(segment));
        awaitSent(s, 1, Duration.ofSeconds(20));
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/pause").then().statusCode(200);
        Thread.sleep(1500);
        int atPause = sentTo(s).size();
        Thread.sleep(1500);
        assertThat(sentTo(s)).hasSize(atPause);
        assertThat(atPause).isLessThan(40);
        // consent is read when a message goes out, not when the campaign was planned: revoked now, not sent
        Set<String> reached = sentTo(s).stream().map(CloudApiSimulator.Sent::to).collect(Collectors.toSet());
        String revoked = s.stream().filter(x -> !reached.contains(wa(x))).findFirst().orElseThrow();
        PeerStandIns.REVOKED.add(revoked);
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/resume").then().statusCode(200);
        Response done = awaitStatus(id, "completed", Duration.ofSeconds(30));
        assertThat(sentTo(s).stream().map(CloudApiSimulator.Sent::to).collect(Collectors.toSet())).hasSize(39).doesNotContain(wa(revoked));
        assertThat(sentTo(s)).hasSize(39);
        assertThat(done.<Integer>path("progress.skipped-no-consent")).isEqualTo(1);

        List<String> c = new ArrayList<>();
        String second = launch(CampaignResourceTest.draft(PeerStandIns.audience("cancel", 40, c)));
        awaitSent(c, 1, Duration.ofSeconds(20));
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + second + "/cancel").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("cancelled"));
        Thread.sleep(1500);
        int atCancel = sentTo(c).size();
        Thread.sleep(1500);
        assertThat(sentTo(c)).hasSize(atCancel);
        Response cancelled = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + second);
        assertThat(cancelled.<Integer>path("progress.cancelled")).isEqualTo(40 - atCancel);
    }

    @Test
    void theTestPhaseWinnerGoesToTheRestAndTheHoldoutGetsNothing() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("ab", 80, s);
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(
                Map.of("id", "a", "weight", 1, "message", Map.of("type", "template", "template", Map.of("name", PeerStandIns.TEMPLATE,
                        "language", "tr", "body", List.of("{{firstName|Merhaba}}")))),
                Map.of("id", "b", "weight", 1, "message", Map.of("type", "template", "template", Map.of("name", PeerStandIns.IMAGE_TEMPLATE,
                        "language", "tr", "header", Map.of("type", "image", "link", "https://cdn.example/kis.jpg"),
                        "body", List.of("{{firstName|Merhaba}}"))))));
        d.put("abTest", Map.of("testPercent", 30, "duration", "PT10M", "metric", "click-through"));
        d.put("audience", Map.of("segments", List.of(segment), "holdoutPercent", 10));
        String id = launch(d);
        Map<String, QueueRow> rows = awaitRows(id, r -> r.size() == 80 && r.values().stream()
                .noneMatch(q -> Set.of("queued", "sending").contains(q.status())), Duration.ofSeconds(30));
        List<QueueRow> test = rows.values().stream().filter(r -> r.phase().equals("test")).toList();
        List<QueueRow> rest = rows.values().stream().filter(r -> r.phase().equals("rest")).toList();
        List<QueueRow> held = rows.values().stream().filter(r -> r.phase().equals("holdout")).toList();
        assertThat(test).isNotEmpty().allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("sent");
            assertThat(r.variant()).isEqualTo(Bucketing.variant(id, r.subject(),
                    List.of(SchedulingRulesTest.variant("a", 1), SchedulingRulesTest.variant("b", 1))));
        });
        assertThat(rest).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo("waiting"));
        assertThat(held).allSatisfy(r -> assertThat(r.status()).isEqualTo("held-out"));
        assertThat(test.size() + rest.size() + held.size()).isEqualTo(80);

        PeerStandIns.AB_TESTS.put(id, new ObjectMapper().readTree("{\"metric\":\"click-through\",\"pValue\":0.003,\"significant\":true,"
                + "\"enoughSample\":true,\"winner\":\"b\",\"variants\":[{\"variant\":\"a\",\"successes\":3,\"trials\":40},"
                + "{\"variant\":\"b\",\"successes\":15,\"trials\":40}]}"));
        // ten minutes pass: the test phase ends, and with it the rest's due time
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("UPDATE campaign SET test_ends_at = now() - interval '1 second' "
                + "WHERE id = $1").execute(Tuple.of(id)).chain(() -> pool.preparedQuery("UPDATE send_queue SET due_at = now() "
                + "WHERE campaign_id = $1 AND status = 'waiting'").execute(Tuple.of(id))));
        Response done = awaitStatus(id, "completed", Duration.ofSeconds(40));
        assertThat(done.<String>path("winner")).isEqualTo("b");
        assertThat(done.<String>path("winnerReason")).contains("significant");
        Map<String, QueueRow> after = rows(id);
        assertThat(rest).allSatisfy(r -> assertThat(after.get(r.subject())).extracting(QueueRow::status, QueueRow::variant)
                .containsExactly("sent", "b"));
        List<CloudApiSimulator.Sent> sent = sentTo(s);
        assertThat(sent).hasSize(test.size() + rest.size());
        Set<String> heldPhones = held.stream().map(r -> wa(r.subject())).collect(Collectors.toSet());
        assertThat(sent).noneMatch(m -> heldPhones.contains(m.to()));
        assertThat(sent.stream().filter(m -> m.body().path("template").path("name").asText().equals(PeerStandIns.IMAGE_TEMPLATE)).count()).isEqualTo(
                rest.size() + test.stream().filter(r -> r.variant().equals("b")).count());
    }

    @Test
    void bestTimeUsesOwnHoursThenTheSegmentsAndQuietHoursFollowTheRecipientsZone() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("sto", 2, s);
        int hourNow = ZonedDateTime.now(ISTANBUL).getHour();
        int own = (hourNow + 3) % 24;
        int segmentHour = (hourNow + 5) % 24;
        PeerStandIns.BEST_HOURS.put(s.get(0), List.of(own));
        long[] hourly = new long[24];
        hourly[segmentHour] = 40;
        PeerStandIns.READ_TIMES.put(segment, hourly);
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("schedule", Map.of("mode", "best-time", "window", "PT24H"));
        String sto = launch(d);
        Map<String, QueueRow> planned = awaitRows(sto, r -> r.size() == 2, Duration.ofSeconds(20));
        assertThat(planned.get(s.get(0)).due().atZone(ISTANBUL).getHour()).isEqualTo(own);
        assertThat(planned.get(s.get(1)).due().atZone(ISTANBUL).getHour()).isEqualTo(segmentHour);
        assertThat(planned.values()).allSatisfy(r -> assertThat(r.due()).isBetween(Instant.now(), Instant.now().plus(Duration.ofHours(24))));
        cancel(sto);

        // quiet hours around Berlin's "now": a Turkish number (two hours ahead) goes now, a German one is planned for when
        // they end in Berlin (planning knows each recipient's zone)
        List<String> z = new ArrayList<>();
        String zones = PeerStandIns.audience("zones", 2, z);
        PeerStandIns.CONTACTS.put(z.get(1), new PeerStandIns.Contact("+49151" + String.format("%08d", System.nanoTime() % 100_000_000L),
                "Hans", "Hans"));
        LocalTime berlin = LocalTime.now(ZoneId.of("Europe/Berlin")).truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> q = CampaignResourceTest.draft(zones);
        q.put("quietHours", Map.of("start", berlin.minusMinutes(30).toString(), "end", berlin.plusMinutes(60).toString()));
        String zoned = launch(q);
        Map<String, QueueRow> rows = awaitRows(zoned, r -> r.size() == 2 && "sent".equals(r.get(z.get(0)).status())
                && "queued".equals(r.get(z.get(1)).status()), Duration.ofSeconds(30));
        Instant quietEnds = ZonedDateTime.now(ZoneId.of("Europe/Berlin")).with(berlin.plusMinutes(60)).toInstant();
        if (quietEnds.isBefore(Instant.now())) {
            quietEnds = quietEnds.plus(Duration.ofDays(1));
        }
        assertThat(rows.get(z.get(1)).due()).isEqualTo(quietEnds);
        assertThat(rows.get(z.get(1)).errorTitle()).as("planned so, not moved by the sender").isNull();
        assertThat(zoneOf(zoned, z.get(1))).isEqualTo("Europe/Berlin");
        cancel(zoned);
    }

    // ---- helpers ----

    static String launch(Map<String, Object> definition) {
        String id = given().auth().oauth2(marketer()).contentType("application/json").body(definition).when().post("/api/campaigns")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(marketer()).contentType("application/json").body("{}").when().post("/api/campaigns/" + id + "/schedule")
                .then().statusCode(200);
        return id;
    }

    static void cancel(String id) {
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/cancel").then().statusCode(200);
    }

    static Response awaitStatus(String id, String status, Duration timeout) throws InterruptedException {
        return awaitCampaign(id, r -> status.equals(r.path("status")), timeout);
    }

    static Response awaitCampaign(String id, Predicate<Response> done, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        Response r;
        do {
            Thread.sleep(250);
            r = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id);
        } while (!done.test(r) && System.currentTimeMillis() < deadline);
        assertThat(done.test(r)).as("campaign %s: %s", id, r.asString()).isTrue();
        return r;
    }

    Map<String, QueueRow> awaitRows(String id, Predicate<Map<String, QueueRow>> done, Duration timeout) throws Throwable {
        return awaitRows(pool, id, done, timeout);
    }

    static Map<String, QueueRow> awaitRows(Pool pool, String id, Predicate<Map<String, QueueRow>> done, Duration timeout) throws Throwable {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        Map<String, QueueRow> rows;
        do {
            Thread.sleep(250);
            rows = rows(pool, id);
        } while (!done.test(rows) && System.currentTimeMillis() < deadline);
        assertThat(done.test(rows)).as("rows of %s: %s", id, rows).isTrue();
        return rows;
    }

    Map<String, QueueRow> rows(String id) throws Throwable {
        return rows(pool, id);
    }

    static Map<String, QueueRow> rows(Pool pool, String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT id, subject_id, variant, phase, status, due_at, "
                + "wamid, error_code, error_title, attempts FROM send_queue WHERE campaign_id = $1").execute(Tuple.of(id)).map(rows -> {
                    Map<String, QueueRow> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("subject_id"), new QueueRow(r.getLong("id"), r.getString("subject_id"), r.getString("variant"),
                                r.getString("phase"), r.getString("status"), r.getOffsetDateTime("due_at").toInstant(), r.getString("wamid"),
                                r.getInteger("error_code"), r.getString("error_title"), r.getInteger("attempts")));
                    }
                    return out;
                }));
    }

    String zoneOf(String campaignId, String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT time_zone FROM send_queue WHERE campaign_id = $1 "
                + "AND subject_id = $2").execute(Tuple.of(campaignId, subject)).map(r -> r.iterator().next().getString("time_zone")));
    }

    /** The subject's phone number's digits, or their BSUID when no phone is known (what the simulator keys on). */
    static String wa(String subject) {
        PeerStandIns.Contact c = PeerStandIns.CONTACTS.get(subject);
        return c.phone() == null ? c.bsuid() : c.phone().substring(1);
    }

    static List<CloudApiSimulator.Sent> sentTo(List<String> subjects) {
        Set<String> phones = subjects.stream().filter(PeerStandIns.CONTACTS::containsKey).map(SendingTest::wa).collect(Collectors.toSet());
        return PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to())).toList();
    }

    static void awaitSent(List<String> subjects, int n, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (sentTo(subjects).size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sentTo(subjects).size()).isGreaterThanOrEqualTo(n);
    }

    /** Runs a statement with the given parameters. */
    static void sql(Pool pool, String statement, Object... parameters) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(statement).execute(Tuple.from(parameters)).replaceWithVoid());
    }

    static CloudEvent status(String subject, String wamid, String status, Instant at, String callback, WaError error) {
        return CloudEvent.of(Topics.WA_STATUS, "wa.status:" + wamid + ":" + status + ":" + at.getEpochSecond(), "/sohbet/webhook-service",
                at, subject, new WaStatus(wamid, status, at, "106540352242922", "individual", null, null, "marketing", "regular", "PMP",
                        true, callback, error == null ? null : List.of(error)));
    }
}
