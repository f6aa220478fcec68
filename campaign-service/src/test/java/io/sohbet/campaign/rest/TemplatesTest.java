package io.sohbet.campaign.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaAccount;
import io.sohbet.kit.Problem;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Template messages against the WhatsApp Business Account's templates (the simulator's list, as Meta's Graph API
 * serves it): checked when a campaign is scheduled or resumed (422 with a pointer per problem), and a campaign is
 * paused with the reason when Meta pauses, disables or re-categorises its template ({@code wa.account}).
 */
@QuarkusTest
class TemplatesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    static String marketer() {
        return CampaignResourceTest.marketer();
    }

    /** A fresh approved template: body with {@code parameters} parameters, a URL button with a suffix, a quick reply. */
    static String template(int parameters) {
        String name = "sablon_" + Long.toHexString(System.nanoTime());
        ArrayNode components = JSON.createArrayNode();
        StringBuilder body = new StringBuilder("Merhaba");
        for (int i = 1; i <= parameters; i++) {
            body.append(" {{").append(i).append("}}");
        }
        components.addObject().put("type", "BODY").put("text", body.toString());
        ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
        buttons.addObject().put("type", "URL").put("text", "Git").put("url", "https://sohbet.example/l/{{1}}");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Durdur");
        PeerStandIns.simulator.registerTemplate(name, "tr", "MARKETING", components);
        return name;
    }

    static Map<String, Object> message(String name, String language, List<String> body, Integer linkButton, Integer quickReply) {
        Map<String, Object> template = new java.util.HashMap<>(Map.of("name", name, "language", language, "body", body));
        if (quickReply != null) {
            template.put("quickReplies", List.of(Map.of("index", quickReply, "payload", "STOP")));
        }
        Map<String, Object> m = new java.util.HashMap<>(Map.of("type", "template", "template", template));
        if (linkButton != null) {
            m.put("trackedLink", Map.of("id", "shop", "target", "https://shop.example/kis", "buttonIndex", linkButton));
        }
        return m;
    }

    static String draft(String segment, Map<String, Object> message) {
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(Map.of("id", "a", "message", message)));
        return given().auth().oauth2(marketer()).contentType("application/json").body(d).when().post("/api/campaigns").then()
                .statusCode(201).extract().path("id");
    }

    static Response schedule(String id, Object body) {
        return given().auth().oauth2(marketer()).contentType("application/json").body(body).when().post("/api/campaigns/" + id + "/schedule");
    }

    @Test
    void schedulingChecksEveryTemplateAgainstTheBusinessAccountsList() {
        String name = template(2);
        String base = "/variants/0/message";
        // unknown name
        schedule(draft("nobody", message("yok_boyle_sablon", "tr", List.of("a", "b"), 0, null)), "{}").then().statusCode(422)
                .contentType(Problem.MEDIA_TYPE).body("errors.pointer", hasItem(base + "/template/name"));
        // no such translation
        schedule(draft("nobody", message(name, "en_US", List.of("a", "b"), 0, null)), "{}").then().statusCode(422)
                .body("errors[0].pointer", equalTo(base + "/template/language"));
        // wrong parameter count, the URL button's suffix missing, a quick reply on the URL button
        Response wrong = schedule(draft("nobody", message(name, "tr", List.of("a"), null, 0)), "{}");
        wrong.then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem(base + "/template/body"))
                .body("errors.pointer", hasItem(base + "/trackedLink"))
                .body("errors.pointer", hasItem(base + "/template/quickReplies/0/index"));
        assertThat(wrong.<String>path("errors.find { it.pointer == '" + base + "/template/body' }.detail")).contains("takes 2 body parameters, 1 given");
        // the campaign is still a draft after a refusal
        String ok = draft("nobody-here", message(name, "tr", List.of("{{firstName|Merhaba}}", "kış"), 0, 1));
        schedule(ok, Map.of("startAt", "2027-06-01T09:00:00Z")).then().statusCode(200).body("status", equalTo("scheduled"));

        // a template Meta paused is refused
        PeerStandIns.simulator.templateStatus(name, "tr", "PAUSED", "LOW_QUALITY");
        schedule(draft("nobody", message(name, "tr", List.of("a", "b"), 0, null)), "{}").then().statusCode(422)
                .body("errors[0].pointer", equalTo(base + "/template/name")).body("errors[0].detail", org.hamcrest.Matchers.containsString("PAUSED"));
    }

    @Test
    void metaPausingOrRecategorisingATemplatePausesItsCampaignsWithTheReason() throws Exception {
        String paused = template(1);
        String recategorised = template(1);
        List<String> s = new ArrayList<>();
        String running = draft(PeerStandIns.audience("tpl-pause", 200, s), message(paused, "tr", List.of("x"), 0, null));
        schedule(running, "{}").then().statusCode(200);
        String later = draft("nobody-here", message(paused, "tr", List.of("x"), 0, null));
        schedule(later, Map.of("startAt", "2027-06-01T09:00:00Z")).then().statusCode(200);
        String other = draft("nobody-here", message(recategorised, "tr", List.of("x"), 0, null));
        schedule(other, Map.of("startAt", "2027-06-01T09:00:00Z")).then().statusCode(200);
        String untouched = given().auth().oauth2(marketer()).contentType("application/json").body(CampaignResourceTest.draft("nobody-here"))
                .when().post("/api/campaigns").then().statusCode(201).extract().path("id");
        schedule(untouched, Map.of("startAt", "2027-06-01T09:00:00Z")).then().statusCode(200);
        long deadline = System.currentTimeMillis() + 20_000;
        while (sentCount(s) < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }

        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // as webhook-service publishes them (allow-listed facts only)
            kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", account("message_template_status_update", JSON.createObjectNode()
                    .put("event", "PAUSED").put("message_template_name", paused).put("message_template_language", "tr").put("reason", "LOW_QUALITY")));
            kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", account("template_category_update", JSON.createObjectNode()
                    .put("message_template_name", recategorised).put("message_template_language", "tr")
                    .put("previous_category", "MARKETING").put("new_category", "UTILITY")));
            // another business account's template of the same name changes nothing
            kafka.send(Topics.WA_ACCOUNT, "account:999", CloudEvent.of(Topics.WA_ACCOUNT, "wa.account:other:" + System.nanoTime(),
                    "/sohbet/webhook-service", Instant.now(), null, new WaAccount("message_template_status_update", "999", Instant.now(),
                            JSON.createObjectNode().put("event", "DISABLED").put("message_template_name", PeerStandIns.TEMPLATE)
                                    .put("message_template_language", "tr"))));
        }
        Response r = await(running, "paused");
        assertThat(r.<String>path("pauseReason")).contains(paused).contains("PAUSED").contains("LOW_QUALITY");
        assertThat(await(later, "paused").<String>path("pauseReason")).contains("PAUSED");
        assertThat(await(other, "paused").<String>path("pauseReason")).contains("re-categorised").contains("from MARKETING to UTILITY");
        // the list says so too (changed after the webhooks here: sends with the paused template would be refused with
        // 132015, which pauses the campaign with Meta's refusal as the reason, the test above)
        PeerStandIns.simulator.templateStatus(paused, "tr", "PAUSED", "LOW_QUALITY");
        PeerStandIns.simulator.templateCategory(recategorised, "tr", "UTILITY");
        Thread.sleep(1500);
        int atPause = sentCount(s);
        Thread.sleep(1500);
        assertThat(sentCount(s)).as("nothing sent after the pause").isEqualTo(atPause).isLessThan(200);

        // resuming checks the template again: still paused at Meta
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + running + "/resume").then().statusCode(422)
                .body("errors[0].pointer", equalTo("/variants/0/message/template/name"));
        PeerStandIns.simulator.templateStatus(paused, "tr", "APPROVED", null);
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + running + "/resume").then().statusCode(200)
                .body("status", equalTo("running")).body("pauseReason", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + running + "/cancel").then().statusCode(200);
        // another business account's template update touched nothing
        assertThat(given().auth().oauth2(marketer()).when().get("/api/campaigns/" + untouched).then().extract().<String>path("status"))
                .isEqualTo("scheduled");
    }

    /**
     * Meta refuses the template while the campaign runs (132015: paused at Meta, its webhook not here yet or lost): the
     * campaign is paused with the reason instead of failing every recipient one by one, the refused recipients go back to
     * the queue without an attempt, and after the template is approved again and the campaign resumed everyone gets the
     * message, once.
     */
    @Test
    void theTemplatesAreListedWithCategoryStatusQualityAndParameterCount() {
        String name = template(2);
        PeerStandIns.simulator.templateQuality(name, "tr", "YELLOW");
        Response list = given().auth().oauth2(marketer()).when().get("/api/templates");
        list.then().statusCode(200);
        Map<String, Object> t = list.jsonPath().getMap("find { it.name == '" + name + "' }");
        assertThat(t).containsEntry("language", "tr").containsEntry("category", "MARKETING").containsEntry("status", "APPROVED")
                .containsEntry("quality", "YELLOW").containsEntry("bodyParameters", 2)
                .as("two body parameters and the URL button's suffix").containsEntry("parameters", 3);
        PeerStandIns.simulator.templateCategory(name, "tr", "UTILITY");
        PeerStandIns.simulator.templateStatus(name, "tr", "PAUSED", "LOW_QUALITY");
        Map<String, Object> after = given().auth().oauth2(marketer()).when().get("/api/templates").jsonPath()
                .getMap("find { it.name == '" + name + "' }");
        assertThat(after).containsEntry("category", "UTILITY").containsEntry("status", "PAUSED");
        given().when().get("/api/templates").then().statusCode(401);
        given().auth().oauth2(io.sohbet.devstack.TestTokens.person("sohbet-campaign", "ali", "analyst").sign()).when()
                .get("/api/templates").then().statusCode(403);
    }

    @Test
    void aTemplateMetaRefusesWhileSendingPausesTheCampaignAndFailsNobody() throws Throwable {
        String name = template(1);
        List<String> s = new ArrayList<>();
        String id = draft(PeerStandIns.audience("tpl-refused", 200, s), message(name, "tr", List.of("x"), 0, null));
        schedule(id, "{}").then().statusCode(200);
        long deadline = System.currentTimeMillis() + 20_000;
        while (sentCount(s) < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        // paused at Meta; no template webhook reaches this service (the simulator here has no webhook URL)
        PeerStandIns.simulator.templateStatus(name, "tr", "PAUSED", "LOW_QUALITY");
        Response paused = await(id, "paused");
        assertThat(paused.<String>path("pauseReason")).contains(name).contains("132015");
        Thread.sleep(1500);
        int atPause = sentCount(s);
        assertThat(atPause).isLessThan(200);
        Map<String, Long> byStatus = statuses(id);
        assertThat(byStatus).as("nobody failed for the template's condition").doesNotContainKey("failed");
        assertThat(refusedAttempts(id)).as("the refused recipients are back in the queue, no attempt spent").isNotEmpty().allMatch(a -> a == 0);

        PeerStandIns.simulator.templateStatus(name, "tr", "APPROVED", null);
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/resume").then().statusCode(200);
        await(id, "completed");
        Set<String> phones = new java.util.HashSet<>();
        s.forEach(x -> phones.add(PeerStandIns.CONTACTS.get(x).phone().substring(1)));
        Map<String, Long> perRecipient = PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to()))
                .collect(java.util.stream.Collectors.groupingBy(m -> m.to(), java.util.stream.Collectors.counting()));
        assertThat(perRecipient).hasSize(200);
        assertThat(perRecipient.values()).as("nobody messaged twice").allMatch(n -> n == 1);
        assertThat(statuses(id)).containsOnlyKeys("sent");
    }

    Map<String, Long> statuses(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT status, count(*) AS n FROM send_queue "
                + "WHERE campaign_id = $1 GROUP BY status").execute(Tuple.of(id)).map(rows -> {
                    Map<String, Long> out = new java.util.HashMap<>();
                    rows.forEach(r -> out.put(r.getString("status"), r.getLong("n")));
                    return out;
                }));
    }

    /** Attempts of the rows Meta refused with 132015 that are waiting again. */
    List<Integer> refusedAttempts(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT attempts FROM send_queue WHERE campaign_id = $1 "
                + "AND error_code = 132015 AND status = 'queued'").execute(Tuple.of(id)).map(rows -> {
                    List<Integer> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getInteger("attempts")));
                    return out;
                }));
    }

    static CloudEvent account(String field, com.fasterxml.jackson.databind.JsonNode value) {
        return CloudEvent.of(Topics.WA_ACCOUNT, "wa.account:" + field + ":" + System.nanoTime(), "/sohbet/webhook-service", Instant.now(),
                null, new WaAccount(field, "102290129340398", Instant.now(), value));
    }

    static Response await(String id, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        Response r;
        do {
            Thread.sleep(200);
            r = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id);
        } while (!status.equals(r.path("status")) && System.currentTimeMillis() < deadline);
        assertThat(r.<String>path("status")).as(r.asString()).isEqualTo(status);
        return r;
    }

    static int sentCount(List<String> subjects) {
        Set<String> phones = new java.util.HashSet<>();
        subjects.forEach(x -> phones.add(PeerStandIns.CONTACTS.get(x).phone().substring(1)));
        return (int) PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to())).count();
    }
}
