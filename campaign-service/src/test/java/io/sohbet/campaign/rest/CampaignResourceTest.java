package io.sohbet.campaign.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.devstack.TestTokens;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The campaigns API: validation with pointers, roles, and the lifecycle's allowed and refused transitions. */
@QuarkusTest
public class CampaignResourceTest {

    static String marketer() {
        return TestTokens.person("sohbet-campaign", "mert", "marketer").sign();
    }

    /** A valid draft to the given segment: one template variant, quiet hours off. */
    public static Map<String, Object> draft(String segment) {
        Map<String, Object> d = new HashMap<>();
        d.put("name", "Kış indirimi");
        d.put("audience", Map.of("segments", List.of(segment)));
        d.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "template",
                "template", Map.of("name", "kis_indirimi", "language", "tr", "body", List.of("{{firstName|Merhaba}}"))))));
        d.put("quietHours", Map.of("enabled", false));
        return d;
    }

    @Test
    void invalidDefinitionsAre400WithAPointerPerField() {
        Map<String, Object> noName = draft("vip");
        noName.remove("name");
        given().auth().oauth2(marketer()).contentType("application/json").body(noName).when().post("/api/campaigns").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors.pointer", hasItem("/name"));

        Map<String, Object> badVariants = draft("vip");
        badVariants.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "fax")),
                Map.of("id", "b", "message", Map.of("type", "text"))));
        given().auth().oauth2(marketer()).contentType("application/json").body(badVariants).when().post("/api/campaigns").then()
                .statusCode(400).body("errors.pointer", hasItem("/variants/0/message/type"));

        Map<String, Object> crossField = draft("vip");
        crossField.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "text")),
                Map.of("id", "a", "message", Map.of("type", "image", "media", Map.of("link", "javascript:alert(1)")))));
        crossField.put("abTest", Map.of("testPercent", 20, "duration", "PT1M"));
        crossField.put("audience", Map.of("segments", List.of("vip"), "excludeSegments", List.of("vip")));
        given().auth().oauth2(marketer()).contentType("application/json").body(crossField).when().post("/api/campaigns").then()
                .statusCode(400).body("errors.pointer", hasItem("/variants/0/message/text"))
                .body("errors.pointer", hasItem("/variants/1/id")).body("errors.pointer", hasItem("/variants/1/message/media/link"))
                .body("errors.pointer", hasItem("/abTest/duration")).body("errors.pointer", hasItem("/audience/excludeSegments"));

        Map<String, Object> wrongType = draft("vip");
        wrongType.put("schedule", Map.of("mode", "at", "at", "tomorrow"));
        given().auth().oauth2(marketer()).contentType("application/json").body(wrongType).when().post("/api/campaigns").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/schedule/at"));

        given().auth().oauth2(marketer()).contentType("application/json").body("{not json").when().post("/api/campaigns").then()
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
        Map<String, Object> badSegment = draft("VIP customers!");
        given().auth().oauth2(marketer()).contentType("application/json").body(badSegment).when().post("/api/campaigns").then()
                .statusCode(400).body("errors.pointer", hasItem("/audience/segments/0"));
        given().auth().oauth2(marketer()).queryParam("status", "sleeping").when().get("/api/campaigns").then().statusCode(400);
        given().auth().oauth2(marketer()).when().get("/api/campaigns/not-an-id").then().statusCode(400);
    }

    @Test
    void aCampaignIsMarkedAsACsatSurveyOnlyWithABoolean() {
        Map<String, Object> survey = draft("nobody-here");
        survey.put("csatSurvey", true);
        String id = given().auth().oauth2(marketer()).contentType("application/json").body(survey).when().post("/api/campaigns").then()
                .statusCode(201).body("definition.csatSurvey", equalTo(true)).extract().path("id");
        given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id).then().statusCode(200)
                .body("definition.csatSurvey", equalTo(true));
        given().auth().oauth2(marketer()).contentType("application/json").body(draft("nobody-here")).when().put("/api/campaigns/" + id)
                .then().statusCode(200).body("definition.csatSurvey", equalTo(false));
        given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id).then().statusCode(200)
                .body("definition.csatSurvey", equalTo(false));

        for (Object notABoolean : List.of("yes", "true", 1, List.of(true), Map.of("enabled", true))) {
            Map<String, Object> wrong = draft("nobody-here");
            wrong.put("csatSurvey", notABoolean);
            given().auth().oauth2(marketer()).contentType("application/json").body(wrong).when().post("/api/campaigns").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/csatSurvey"));
            given().auth().oauth2(marketer()).contentType("application/json").body(wrong).when().put("/api/campaigns/" + id).then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/csatSurvey"));
        }
        given().auth().oauth2(marketer()).when().delete("/api/campaigns/" + id).then().statusCode(204);
    }

    @Test
    void rolesAreEnforced() {
        given().contentType("application/json").body(draft("vip")).when().post("/api/campaigns").then().statusCode(401);
        given().auth().oauth2(TestTokens.person("sohbet-campaign", "ali", "analyst").sign()).when().get("/api/campaigns")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(TestTokens.service("sohbet-consent", "sohbet-campaign", "subject-export").sign()).contentType("application/json")
                .body(draft("vip")).when().post("/api/campaigns").then().statusCode(403);
        given().auth().oauth2(TestTokens.person("sohbet-campaign", "root", "admin").sign()).when().get("/api/campaigns")
                .then().statusCode(200);
    }

    @Test
    void onlyTransitionsOfTheLifecycleAreAllowed() {
        String id = given().auth().oauth2(marketer()).contentType("application/json").body(draft("nobody-here")).when()
                .post("/api/campaigns").then().statusCode(201).header("Location", notNullValue()).body("status", equalTo("draft"))
                .body("createdBy", equalTo("mert")).extract().path("id");
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/pause").then().statusCode(409)
                .contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/resume").then().statusCode(409);
        Map<String, Object> renamed = draft("nobody-here");
        renamed.put("name", "Kış indirimi 2");
        given().auth().oauth2(marketer()).contentType("application/json").body(renamed).when().put("/api/campaigns/" + id).then()
                .statusCode(200).body("name", equalTo("Kış indirimi 2"));
        given().auth().oauth2(marketer()).contentType("application/json").body(Map.of("startAt", "2099-01-01T00:00:00Z")).when()
                .post("/api/campaigns/" + id + "/schedule").then().statusCode(400).body("errors[0].pointer", equalTo("/startAt"));
        given().auth().oauth2(marketer()).contentType("application/json").body(Map.of("startAt", "2027-06-01T09:00:00Z")).when()
                .post("/api/campaigns/" + id + "/schedule").then().statusCode(200).body("status", equalTo("scheduled"))
                .body("startAt", equalTo("2027-06-01T09:00:00Z"));
        given().auth().oauth2(marketer()).contentType("application/json").body(renamed).when().put("/api/campaigns/" + id).then()
                .statusCode(409);
        given().auth().oauth2(marketer()).when().delete("/api/campaigns/" + id).then().statusCode(409);
        given().auth().oauth2(marketer()).contentType("application/json").body("{}").when().post("/api/campaigns/" + id + "/schedule")
                .then().statusCode(409);
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        given().auth().oauth2(marketer()).when().post("/api/campaigns/" + id + "/cancel").then().statusCode(409);
        given().auth().oauth2(marketer()).queryParam("status", "cancelled").when().get("/api/campaigns").then().statusCode(200)
                .body("id", hasItem(id));

        String other = given().auth().oauth2(marketer()).contentType("application/json").body(draft("nobody-here")).when()
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(marketer()).when().delete("/api/campaigns/" + other).then().statusCode(204);
        given().auth().oauth2(marketer()).when().get("/api/campaigns/" + other).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(marketer()).when().delete("/api/campaigns/" + other).then().statusCode(404);
        given().auth().oauth2(marketer()).when().get("/api/campaigns/" + other + "/reasons").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().auth().oauth2(marketer()).when().get("/api/campaigns/not-an-id/reasons").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        // a campaign not sent yet has no reasons
        given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id + "/reasons").then().statusCode(200)
                .body("id", equalTo(id)).body("reasons", org.hamcrest.Matchers.empty());
        given().when().get("/api/campaigns/" + id + "/reasons").then().statusCode(401);
    }
}
