package io.sohbet.campaign.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * The optional send path of a campaign: {@code sendPath: "marketing_messages"} sends through Meta's Marketing Messages
 * API ({@code POST /{phone-number-id}/marketing_messages}), for MARKETING templates only (checked when the draft is
 * written and when it is scheduled); a portfolio that cannot use the API pauses the campaign instead of failing people.
 */
@QuarkusTest
class MarketingMessagesTest {

    static String marketer() {
        return CampaignResourceTest.marketer();
    }

    static Map<String, Object> draft(String segment, String template, String sendPath) {
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "template", "template",
                Map.of("name", template, "language", "tr", "body", List.of("{{firstName|Merhaba}}"))))));
        d.put("sendPath", sendPath);
        return d;
    }

    static Response create(Map<String, Object> d) {
        return given().auth().oauth2(marketer()).contentType("application/json").body(d).when().post("/api/campaigns");
    }

    static Response schedule(String id) {
        return given().auth().oauth2(marketer()).contentType("application/json").body("{}").when().post("/api/campaigns/" + id + "/schedule");
    }

    @Test
    void theSendPathIsValidatedMarketingTemplatesOnly() {
        create(draft("vip", PeerStandIns.TEMPLATE, "whatsapp")).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/sendPath"));
        Map<String, Object> text = draft("vip", PeerStandIns.TEMPLATE, "marketing_messages");
        text.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "text", "text", "Merhaba"))));
        create(text).then().statusCode(400).body("errors.pointer", hasItem("/variants/0/message/type"));

        String utility = create(draft("vip", PeerStandIns.UTILITY_TEMPLATE, "marketing_messages")).then().statusCode(201)
                .extract().path("id");
        schedule(utility).then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItem("/variants/0/message/template/name"))
                .body("errors.detail", hasItem(containsString("MARKETING templates only")));
        given().auth().oauth2(marketer()).when().get("/api/campaigns/" + utility).then().body("status", org.hamcrest.Matchers.equalTo("draft"));
        // the same utility template on /messages is fine
        schedule(create(draft("nobody-here", PeerStandIns.UTILITY_TEMPLATE, "messages")).then().statusCode(201).extract().path("id"))
                .then().statusCode(200);
    }

    @Test
    void aMarketingMessagesCampaignGoesThroughItsEndpointAndPausesWhenThePortfolioCannotUseIt() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("mm", 6, s);
        CloudApiSimulator sim = PeerStandIns.simulator;
        String id = create(draft(segment, PeerStandIns.TEMPLATE, "marketing_messages")).then().statusCode(201).extract().path("id");
        sim.marketingMessagesTermsAccepted(false);
        try {
            schedule(id).then().statusCode(200);
            Response paused = TemplatesTest.await(id, "paused");
            assertThat(paused.<String>path("pauseReason")).contains("Marketing Messages API").contains("terms");
            Thread.sleep(1000);
            assertThat(sent(s)).isEmpty();
            assertThat(given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id).then().extract().<Integer>path("progress.failed"))
                    .as("nobody failed for the portfolio's condition").isZero();
        } finally {
            sim.marketingMessagesTermsAccepted(true);
        }
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/resume").then().statusCode(200);
        TemplatesTest.await(id, "completed");
        List<CloudApiSimulator.Sent> sent = sent(s);
        assertThat(sent).hasSize(6).allSatisfy(m -> assertThat(m.api()).isEqualTo("marketing_messages"));
        assertThat(sent.stream().collect(Collectors.groupingBy(CloudApiSimulator.Sent::to, Collectors.counting())).values())
                .allMatch(n -> n == 1);
    }

    static List<CloudApiSimulator.Sent> sent(List<String> subjects) {
        Set<String> phones = subjects.stream().map(x -> PeerStandIns.CONTACTS.get(x).phone().substring(1)).collect(Collectors.toSet());
        return PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to())).toList();
    }
}
