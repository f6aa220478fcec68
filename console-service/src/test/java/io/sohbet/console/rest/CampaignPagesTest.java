package io.sohbet.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.console.ApiStub;
import io.sohbet.console.Browser;
import io.sohbet.console.SignedInTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Campaign creation and launch on campaign-service's real shapes, and the live progress relayed over SSE. */
@QuarkusTest
class CampaignPagesTest extends SignedInTest {

    static final String ID = "5e0c7c1a-8d1f-4a53-9b7e-3c2d1e0f9a8b";

    private Browser marketer;

    @BeforeEach
    void setUp() {
        marketer = signIn("marketer");
    }

    private static Map<String, String> abCampaign(String name, String templateA) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("segments", "vip");
        form.put("excludeSegments", "lapsed");
        form.put("holdoutPercent", "10");
        form.put("variantA.template", templateA);
        form.put("variantA.weight", "3");
        form.put("variantA.body", "Ayşe\n");
        form.put("variantB.template", "spring_offer_b|tr");
        form.put("variantB.weight", "1");
        form.put("variantB.body", "");
        form.put("abTest", "on");
        form.put("abTest.testPercent", "20");
        form.put("abTest.duration", "4");
        form.put("abTest.metric", "click-through");
        form.put("abTest.fallback", "leading");
        form.put("schedule.mode", "best-time");
        form.put("schedule.at", "2026-12-02T10:00");
        form.put("schedule.window", "12");
        form.put("schedule.localTime", "");
        form.put("quietHours", "on");
        form.put("quietHours.start", "21:00");
        form.put("quietHours.end", "09:00");
        form.put("cap.messages", "2");
        form.put("cap.period", "7");
        return form;
    }

    @Test
    void theFormOffersTheSynchronisedTemplatesAndTheSegments() {
        Document page = marketer.get("/marketing/campaigns/new").html();

        assertThat(page.select("#variantA-template option").stream().map(o -> o.attr("value")).toList())
                .containsExactly("", "spring_offer|tr", "spring_offer_b|tr", "paused_offer|en_US");
        assertThat(page.selectFirst("#variantA-template option[value=paused_offer|en_US]").text()).contains("PAUSED");
        assertThat(page.select("input[name=segments]").stream().map(i -> i.attr("value")).toList()).containsExactly("vip", "lapsed");
        assertThat(page.selectFirst("label[for=s-at]").text()).contains("Europe/Istanbul");
        // quiet hours and local times are applied in each recipient's zone, not the viewer's: the labels say so
        assertThat(page.selectFirst("label[for=s-local]").text()).contains("alıcının kendi saat diliminde");
        assertThat(page.selectFirst("#quiet legend").text()).contains("alıcının kendi saat diliminde");
        // a request that fails with a 5xx, a network error or a timeout is said in the alert region (console.js)
        org.jsoup.nodes.Element alert = page.selectFirst("#console-alert[role=alert][hidden]");
        assertThat(alert).isNotNull();
        assertThat(alert.attr("data-server")).contains("yanıt vermedi");
        assertThat(alert.attr("data-network")).contains("zamanında gelmedi");
        assertThat(api.calls().stream().map(ApiStub.Call::uri).toList()).containsExactlyInAnyOrder("/api/templates", "/api/segments");
    }

    @Test
    void launchingCreatesTheDefinitionAndSchedulesIt() throws Exception {
        Browser.Page launched = marketer.post("/marketing/campaigns", abCampaign("Spring", "spring_offer|tr"), marketer.htmx());

        assertThat(launched.status()).isEqualTo(200);
        assertThat(launched.header("HX-Redirect")).isEqualTo("/marketing/campaigns/" + ID);
        List<ApiStub.Call> calls = api.calls();
        assertThat(calls).extracting(c -> c.method() + " " + c.uri())
                .containsExactly("POST /api/campaigns", "POST /api/campaigns/" + ID + "/schedule");
        assertThat(calls).allSatisfy(c -> assertThat(c.claims().path("preferred_username").asText()).isEqualTo("marketer"));
        JsonNode definition = ApiStub.JSON.readTree(calls.get(0).body());
        assertThat(definition).isEqualTo(ApiStub.JSON.readTree("""
                {"name":"Spring","audience":{"segments":["vip"],"excludeSegments":["lapsed"],"holdoutPercent":10},
                 "variants":[{"id":"a","weight":3,"message":{"type":"template","template":{"name":"spring_offer","language":"tr","body":["Ayşe"]}}},
                             {"id":"b","weight":1,"message":{"type":"template","template":{"name":"spring_offer_b","language":"tr"}}}],
                 "abTest":{"testPercent":20,"duration":"PT4H","metric":"click-through","fallback":"leading"},
                 "schedule":{"mode":"best-time","at":"2026-12-02T07:00:00Z","window":"PT12H"},
                 "quietHours":{"enabled":true,"start":"21:00","end":"09:00"},
                 "frequencyCap":{"messages":2,"period":"P7D"}}"""));
        assertThat(calls.get(1).body()).isEqualTo("{}");
    }

    @Test
    void trackedLinksTheCsatSurveyAndMarketingMessagesGoIntoTheDefinition() throws Exception {
        Map<String, String> form = abCampaign("Spring links", "spring_offer|tr");
        form.put("variantA.link.target", "https://shop.example/spring");
        form.put("variantA.link.button", "1");
        form.put("variantB.link.target", "https://shop.example/spring-b");
        form.put("variantB.link.button", "");
        form.put("csatSurvey", "on");
        form.put("sendPath", "marketing_messages");
        Browser.Page launched = marketer.post("/marketing/campaigns", form, marketer.htmx());

        assertThat(launched.status()).isEqualTo(200);
        JsonNode definition = ApiStub.JSON.readTree(api.calls().get(0).body());
        assertThat(definition.path("variants").get(0).path("message").path("trackedLink")).isEqualTo(ApiStub.JSON.readTree(
                "{\"id\":\"a\",\"target\":\"https://shop.example/spring\",\"buttonIndex\":1}"));
        assertThat(definition.path("variants").get(1).path("message").path("trackedLink")).isEqualTo(ApiStub.JSON.readTree(
                "{\"id\":\"b\",\"target\":\"https://shop.example/spring-b\",\"buttonIndex\":0}"));
        assertThat(definition.path("csatSurvey").asBoolean()).isTrue();
        assertThat(definition.path("sendPath").asText()).isEqualTo("marketing_messages");
    }

    @Test
    void aTrackedLinkThatIsNoAddressOrAnUnknownSendPathIsRefusedBesideItsField() {
        Map<String, String> form = abCampaign("Spring links", "spring_offer|tr");
        form.put("variantA.link.target", "javascript:alert(1)");
        form.put("variantA.link.button", "12");
        form.put("sendPath", "carrier-pigeon");
        Browser.Page refused = marketer.post("/marketing/campaigns", form, marketer.htmx());

        assertThat(refused.status()).isEqualTo(400);
        Document page = refused.html();
        assertThat(page.selectFirst("#variantA-error").text()).contains("http(s)", "0 ile 9");
        assertThat(page.selectFirst("#delivery-error")).isNotNull();
        assertThat(api.calls()).noneMatch(c -> c.method().equals("POST"));
    }

    @Test
    void campaignServicesProblemsShowBesideTheirFields() {
        Browser.Page refused = marketer.post("/marketing/campaigns", abCampaign("refuse-me", "spring_offer|tr"), marketer.htmx());

        assertThat(refused.status()).isEqualTo(400);
        Document form = refused.html();
        assertThat(form.selectFirst("#quietHours-error").text()).isEqualTo("needs a start and a different end (or enabled: false)");
        assertThat(form.selectFirst("#variantB-error").text()).isEqualTo("must be less than or equal to 1000");
        assertThat(form.selectFirst("#variantB-template").attr("aria-invalid")).isEqualTo("true");
        assertThat(form.selectFirst("#delivery-error").text()).isEqualTo("must be messages or marketing_messages");
        assertThat(form.selectFirst("#send-path").attr("aria-invalid")).isEqualTo("true");
        // a second click while the launch is in flight is dropped, not queued (a queued one would launch it twice)
        assertThat(form.selectFirst("form#campaign-form").attr("hx-sync")).isEqualTo("this:drop");
        assertThat(form.selectFirst("form#campaign-form").attr("hx-disabled-elt")).isEqualTo("find button[type=submit]");
        // what was typed stays
        assertThat(form.selectFirst("#c-name").attr("value")).isEqualTo("refuse-me");
        assertThat(form.selectFirst("#variantA-template option[selected]").attr("value")).isEqualTo("spring_offer|tr");
        assertThat(form.selectFirst("input[name=segments][value=vip]").hasAttr("checked")).isTrue();
    }

    @Test
    void aTemplateThatCannotBeSentIsShownAndTheDraftIsDeleted() {
        Browser.Page refused = marketer.post("/marketing/campaigns", abCampaign("Paused", "paused_offer|en_US"), marketer.htmx());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.html().selectFirst("#variantA-error").text()).isEqualTo("template paused_offer (en_US) is PAUSED");
        assertThat(api.calls()).extracting(c -> c.method() + " " + c.uri()).containsSubsequence("POST /api/campaigns",
                "POST /api/campaigns/" + ID + "/schedule", "DELETE /api/campaigns/" + ID);
    }

    @Test
    void whatTheConsoleCannotReadIsRefusedBeforeAskingTheApi() {
        Map<String, String> form = abCampaign("Spring", "");
        form.put("holdoutPercent", "80");
        form.put("quietHours.start", "9 pm");
        form.put("schedule.at", "tomorrow");

        Document answer = marketer.post("/marketing/campaigns", form, marketer.htmx()).html();

        assertThat(answer.selectFirst("#variantA-error")).isNotNull();
        assertThat(answer.selectFirst("#holdoutPercent-error").text()).contains("0", "50");
        assertThat(answer.selectFirst("#quietHours-error")).isNotNull();
        assertThat(answer.selectFirst("#schedule-error")).isNotNull();
        assertThat(api.calls()).noneMatch(c -> c.method().equals("POST"));
    }

    @Test
    void theCampaignPageConnectsToTheConsolesOwnStream() {
        Document page = marketer.get("/marketing/campaigns/" + ID).html();

        Element live = page.selectFirst("#progress");
        assertThat(live.attr("hx-ext")).isEqualTo("sse");
        assertThat(live.attr("sse-connect")).isEqualTo("/marketing/campaigns/" + ID + "/progress");
        assertThat(live.attr("sse-swap")).isEqualTo("progress");
        assertThat(live.attr("sse-close")).isEqualTo("done");
        assertThat(live.selectFirst("tr[data-state=sent] td.num").text()).isEqualTo("90");
        assertThat(marketer.get("/marketing/campaigns/not-a-campaign").status()).isEqualTo(404);
    }

    @Test
    void progressIsRelayedAsRenderedFragmentsUntilCampaignServiceEndsTheStream() {
        Browser.Page stream = marketer.get("/marketing/campaigns/" + ID + "/progress");

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
        List<String[]> events = events(stream.body());
        assertThat(events).extracting(e -> e[0]).containsExactly("progress", "progress", "progress", "done");
        Document last = Jsoup.parseBodyFragment(events.get(2)[1]);
        assertThat(last.selectFirst(".progress").attr("data-status")).isEqualTo("completed");
        assertThat(last.selectFirst("tr[data-state=sent] td.num").text()).isEqualTo("390");
        assertThat(Jsoup.parseBodyFragment(events.get(0)[1]).selectFirst("tr[data-state=queued] td.num").text()).isEqualTo("300");
        // campaign-service was asked with the marketer's own token; the browser never saw one
        ApiStub.Call upstream = api.calls().stream().filter(c -> c.uri().endsWith("/progress")).findFirst().orElseThrow();
        assertThat(upstream.claims().path("preferred_username").asText()).isEqualTo("marketer");
        assertThat(stream.body()).doesNotContain("eyJ");
    }

    @Test
    void aStreamThatEndsBeforeTheCampaignFinishedIsNotDoneSoThePageReconnects() {
        Browser.Page stream = marketer.get("/marketing/campaigns/6f1d8d2b-9e2a-4b64-8c8f-4d3e2f1a0b9c/progress");

        assertThat(stream.status()).isEqualTo(200);
        List<String[]> events = events(stream.body());
        assertThat(events).extracting(e -> e[0]).containsExactly("progress");
        assertThat(Jsoup.parseBodyFragment(events.get(0)[1]).selectFirst(".progress").attr("data-status")).isEqualTo("running");
    }

    /** The events of an SSE body: name and data (data lines joined with a line break, as EventSource does). */
    static List<String[]> events(String body) {
        return java.util.Arrays.stream(body.split("\r?\n\r?\n")).filter(b -> !b.isBlank()).map(block -> {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\r?\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
            return new String[] {name, data.toString()};
        }).toList();
    }
}
