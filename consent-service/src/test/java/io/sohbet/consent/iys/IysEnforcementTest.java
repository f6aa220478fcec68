package io.sohbet.consent.iys;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sohbet.devstack.iys.IysSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.service;
import static io.sohbet.consent.iys.IysSyncTest.await;
import static io.sohbet.consent.iys.IysSyncTest.consent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Contact resolution with İYS enforced for WhatsApp. */
@QuarkusTest
@TestProfile(IysOn.class)
class IysEnforcementTest {

    static void contact(String phone, String name) {
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\"}").when().put("/api/identities").then().statusCode(200);
    }

    static ValidatableResponse resolve(String... phones) {
        StringBuilder ids = new StringBuilder();
        for (String phone : phones) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(IDS.fromPhone(phone)).append('"');
        }
        return given().auth().oauth2(service()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"marketing\",\"subjectIds\":[" + ids + "]}").when().post("/internal/contacts/resolve")
                .then().statusCode(200);
    }

    static String reason(String phone) {
        return "withheld.find { it.subjectId == '" + IDS.fromPhone(phone) + "' }.reason";
    }

    @Test
    void aRejectionMadeInIysStopsTheNextResolutionForThatPerson() throws Exception {
        IysSimulator iys = IysStandIn.simulator();
        String phone = phone();
        contact(phone, "Elif Şahin");
        consent(phone, "marketing", "granted", "web-form", Instant.now().minusSeconds(60));
        await(() -> iys.record(IDS.normalise(phone), "MESAJ"));
        await(() -> resolve(phone).extract().path("contacts.size()").equals(1) ? true : null);

        iys.citizenRejects(IDS.normalise(phone), "MESAJ");

        await(() -> resolve(phone).extract().path("contacts.size()").equals(0) ? true : null);
        resolve(phone).body("contacts", hasSize(0)).body(reason(phone), equalTo("no-consent"));
    }

    @Test
    void turkishNumbersWithoutAnIysOnayAreWithheldOthersAreNot() throws Exception {
        String refused = phone(); // granted here, but too late for İYS: no ONAY there
        contact(refused, "Can Demir");
        consent(refused, "marketing", "granted", "web-form", Instant.now().minus(Duration.ofDays(10)));
        String german = "+49 151 2" + (1_000_000 + (int) (Math.random() * 8_999_999));
        contact(german, "Jonas Weber");
        consent(german, "marketing", "granted", "web-form", Instant.now().minusSeconds(30));
        String noPhone = phone();
        consent(noPhone, "marketing", "granted", "web-form", Instant.now().minusSeconds(30));
        String fresh = phone(); // granted a moment ago: not usable before İYS accepted it
        contact(fresh, "Deniz Kaya");

        await(() -> IysStandIn.simulator().record(IDS.normalise(fresh), "MESAJ") == null ? true : null);
        resolve(refused, german, noPhone).body("contacts", hasSize(1))
                .body("contacts[0].subjectId", equalTo(IDS.fromPhone(german)))
                .body(reason(refused), equalTo("no-iys-consent"))
                .body(reason(noPhone), equalTo("no-contact"));
        given().auth().oauth2(service()).contentType(ContentType.JSON)
                .body("{\"purpose\":\"analytics\",\"subjectIds\":[\"" + IDS.fromPhone(refused) + "\"]}")
                .when().post("/internal/contacts/resolve").then().statusCode(200).body(reason(refused), equalTo("no-consent"));
    }
}
