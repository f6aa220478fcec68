package io.sohbet.devstack.iys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sohbet.events.TurkishBusinessDays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's protocol and rules, over HTTP. */
class IysSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static IysSimulator iys;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        iys = IysSimulator.start(IysSimulator.Config.unlimited().withLimits(Map.of(IysSimulator.STATUS, 3)), 0);
        HttpResponse<String> answer = post("/oauth2/token", "{\"username\":\"sohbet-iys\",\"password\":\"local-iys-password\","
                + "\"grant_type\":\"password\"}", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        token = JSON.readTree(answer.body()).path("access_token").asText();
    }

    @AfterAll
    static void stop() {
        iys.close();
    }

    static HttpResponse<String> post(String path, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(iys.baseUrl().resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String consent(String recipient, String status, LocalDateTime at) {
        return "{\"recipient\":\"" + recipient + "\",\"recipientType\":\"BIREYSEL\",\"type\":\"MESAJ\",\"source\":\"HS_WEB\","
                + "\"status\":\"" + status + "\",\"consentDate\":\"" + IysSimulator.DATE.format(at) + "\"}";
    }

    static JsonNode add(String body, int expected) throws Exception {
        HttpResponse<String> answer = post("/sps/700001/brands/700002/consents", body, token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expected);
        return JSON.readTree(answer.body());
    }

    static String phone() {
        return "+90532" + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
    }

    @Test
    void theRulesOfTheRegistryAreEnforced() throws Exception {
        LocalDateTime now = LocalDateTime.now(TurkishBusinessDays.ZONE).withNano(0);
        String person = phone();
        assertThat(add(consent(person, "RET", now.minusMinutes(5)), 422).at("/errors/0/code").asText()).isEqualTo("H921");
        assertThat(add(consent(person, "ONAY", now.minusMinutes(5)), 200).path("transactionId").asText()).isNotBlank();
        assertThat(add(consent(person, "ONAY", now.minusMinutes(1)), 422).at("/errors/0/code").asText()).isEqualTo("H923");
        assertThat(add(consent(person, "RET", now.minusMinutes(10)), 422).at("/errors/0/code").asText()).isEqualTo("H922");
        add(consent(person, "RET", now.minusMinutes(1)), 200);
        assertThat(iys.record(person, "MESAJ").status()).isEqualTo("RET");

        JsonNode old = add(consent(phone(), "ONAY", now.minusDays(10)), 422);
        assertThat(old.at("/errors/0/code").asText()).isEqualTo("H920");
        assertThat(old.at("/errors/0/location").asText()).isEqualTo("consentDate");
        assertThat(add(consent(phone(), "ONAY", now.plusHours(1)), 422).at("/errors/0/code").asText()).isEqualTo("H918");
        assertThat(add(consent("05321234567", "ONAY", now), 422).at("/errors/0/code").asText()).isEqualTo("H913");
        assertThat(add(consent(phone(), "ONAY", now).replace("HS_WEB", "IYS_WEB"), 422).at("/errors/0/code").asText())
                .isEqualTo("H914");
    }

    @Test
    void withoutAValidTokenNothingIsAnswered() throws Exception {
        assertThat(post("/sps/700001/brands/700002/consents", "{}", "forged").statusCode()).isEqualTo(401);
        assertThat(post("/oauth2/token", "{\"username\":\"sohbet-iys\",\"password\":\"wrong\",\"grant_type\":\"password\"}", null)
                .statusCode()).isEqualTo(401);
    }

    @Test
    void citizensRejectionsAreInTheIysFeedAndCallsAreLimited() throws Exception {
        String person = phone();
        add(consent(person, "ONAY", LocalDateTime.now(TurkishBusinessDays.ZONE).withNano(0).minusMinutes(3)), 200);
        String transaction = iys.citizenRejects(person, "MESAJ");
        HttpResponse<String> feed = HTTP.send(HttpRequest.newBuilder(iys.baseUrl().resolve(
                "/sps/700001/brands/700002/consents/changes?source=IYS&after=0")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode list = JSON.readTree(feed.body()).path("list");
        assertThat(list).anySatisfy(change -> {
            assertThat(change.path("transactionId").asText()).isEqualTo(transaction);
            assertThat(change.path("status").asText()).isEqualTo("RET");
            assertThat(change.path("source").asText()).isEqualTo("IYS_WEB");
        });
        int statuses = 0;
        for (int i = 0; i < 5; i++) {
            if (post("/sps/700001/brands/700002/consents/status", "{\"recipient\":\"" + person
                    + "\",\"recipientType\":\"BIREYSEL\",\"type\":\"MESAJ\"}", token).statusCode() == 200) {
                statuses++;
            }
        }
        assertThat(statuses).isEqualTo(3);
        assertThat(iys.limited()).isGreaterThanOrEqualTo(2);
    }
}
