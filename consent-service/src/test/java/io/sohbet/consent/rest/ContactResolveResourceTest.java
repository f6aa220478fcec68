package io.sohbet.consent.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.kit.Problem;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static io.sohbet.consent.Fixtures.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class ContactResolveResourceTest {

    static void consent(String phone, String state) {
        String body = state.equals("granted") ? grant(phone, "marketing")
                : "{\"phone\":\"" + phone + "\",\"purpose\":\"marketing\",\"state\":\"revoked\",\"source\":\"admin\"}";
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(body).when().post("/api/consents").then().statusCode(201);
    }

    static void contact(String phone, String name) {
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\"}").when().put("/api/identities").then().statusCode(200);
    }

    @Test
    void onlySubjectsWhoConsentRightNowAreResolved() {
        String granted = phone();
        String revoked = phone();
        String noPhone = phone();
        consent(granted, "granted");
        contact(granted, "Elif Şahin");
        consent(revoked, "granted");
        contact(revoked, "Can Demir");
        consent(revoked, "revoked");
        consent(noPhone, "granted");
        String never = IDS.fromPhone(phone());
        String body = "{\"purpose\":\"marketing\",\"subjectIds\":[\"" + IDS.fromPhone(granted) + "\",\"" + IDS.fromPhone(revoked)
                + "\",\"" + IDS.fromPhone(noPhone) + "\",\"" + never + "\"]}";
        given().auth().oauth2(service()).contentType(ContentType.JSON).body(body).when().post("/internal/contacts/resolve")
                .then().statusCode(200)
                .body("contacts", hasSize(1))
                .body("contacts[0].subjectId", equalTo(IDS.fromPhone(granted)))
                .body("contacts[0].phone", equalTo(IDS.normalise(granted)))
                .body("contacts[0].firstName", equalTo("Elif"))
                .body("withheld.find { it.subjectId == '" + IDS.fromPhone(revoked) + "' }.reason", equalTo("no-consent"))
                .body("withheld.find { it.subjectId == '" + IDS.fromPhone(noPhone) + "' }.reason", equalTo("no-contact"))
                .body("withheld.find { it.subjectId == '" + never + "' }.reason", equalTo("no-consent"));
        given().auth().oauth2(service()).contentType(ContentType.JSON).body(body.replace("marketing", "analytics"))
                .when().post("/internal/contacts/resolve").then().statusCode(200).body("contacts", hasSize(0));
    }

    @Test
    void badBatchesAre400AndOnlyServicesResolve() {
        given().auth().oauth2(service()).contentType(ContentType.JSON).body("{\"purpose\":\"spam\",\"subjectIds\":[\"x\"]}")
                .when().post("/internal/contacts/resolve").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItems("/purpose", "/subjectIds"));
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[\"abcdefghijklmnopqr\"]}")
                .when().post("/internal/contacts/resolve").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{}").when().post("/internal/contacts/resolve").then().statusCode(401);
        given().auth().oauth2(token("mert", "marketer")).when().get("/api/identities/abcdefghijklmnopqr").then().statusCode(403);
    }
}
