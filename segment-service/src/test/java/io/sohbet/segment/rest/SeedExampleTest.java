package io.sohbet.segment.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed's own example, "women aged 25–35 in İstanbul", as a custom segment: exactly the right people, whatever the case. */
@QuarkusTest
class SeedExampleTest {

    static final String RULE = "{\"all\":[{\"attr\":\"gender\",\"op\":\"=\",\"value\":\"female\"},"
            + "{\"attr\":\"age\",\"op\":\"between\",\"value\":[25,35]},{\"attr\":\"city\",\"op\":\"=\",\"value\":\"İstanbul\"}]}";

    static CloudEvent customer(String subject, String gender, int age, String city) {
        byte[] key = KeyVaultStandIn.keyOf(subject);
        java.util.function.Function<String, String> seal = v -> v == null ? null : FieldCipher.encrypt(key, subject, v);
        Instant at = Instant.now();
        return CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:cust-" + subject, "/test", at, subject,
                new CommerceEvent("cust-" + subject, "customer.upserted", at, null, null, null, null, List.of(),
                        new CommerceEvent.Customer(null, null, null, seal.apply(gender), seal.apply(String.valueOf(Year.now().getValue() - age)),
                                seal.apply(city), Map.of())));
    }

    @Test
    void womenAged25To35InIstanbulWhateverTheCaseOfTheCity() throws Throwable {
        String prefix = "seed" + Long.toHexString(System.nanoTime());
        Map<String, CloudEvent> people = new java.util.LinkedHashMap<>();
        List<String> expected = new ArrayList<>();
        Object[][] table = {
                {"a", "Kadın", 30, "İstanbul", true}, {"b", "KADIN", 25, "ISTANBUL", true}, {"c", "F", 35, "istanbul", true},
                {"d", "female", 28, "Istanbul", true}, {"e", "kadin", 31, "İSTANBUL", true},
                {"f", "Erkek", 30, "İstanbul", false}, {"g", "Kadın", 24, "İstanbul", false}, {"h", "Kadın", 36, "İstanbul", false},
                {"i", "Kadın", 30, "İzmir", false}, {"j", "Kadın", 30, "Istanbull", false}};
        for (Object[] row : table) {
            String subject = prefix + row[0] + "person";
            people.put(subject, customer(subject, (String) row[1], (Integer) row[2], (String) row[3]));
            if ((Boolean) row[4]) {
                expected.add(subject);
            }
        }
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            people.forEach((subject, event) -> kafka.send(Topics.COMMERCE_EVENT, subject, event));
        }
        String marketer = SegmentResourceTest.marketer();
        for (String subject : people.keySet()) {
            new SegmentResourceTest().awaitProfile(subject, r -> true).then().statusCode(200);
        }
        String id = "istanbul-women-" + Long.toHexString(System.nanoTime() % 100000);
        given().auth().oauth2(marketer).contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"name\":\"Women 25-35 in İstanbul\",\"rule\":" + RULE + "}")
                .when().post("/api/segments").then().statusCode(201);
        try {
            given().auth().oauth2(TestTokens.person("sohbet-segment", "ada", "admin").sign()).when().post("/api/segments/evaluations")
                    .then().statusCode(200);
            Response members = given().auth().oauth2(marketer).queryParam("limit", 10000).when().get("/api/segments/" + id + "/members");
            members.then().statusCode(200);
            List<String> ours = members.jsonPath().<String>getList("subjectIds").stream().filter(s -> s.startsWith(prefix)).toList();
            assertThat(ours).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            given().auth().oauth2(marketer).when().delete("/api/segments/" + id).then().statusCode(204);
        }
    }
}
