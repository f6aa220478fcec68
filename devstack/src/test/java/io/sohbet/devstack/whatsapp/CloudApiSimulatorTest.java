package io.sohbet.devstack.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CloudApiSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger refuseFirst = new AtomicInteger();
    HttpServer receiver;
    CloudApiSimulator simulator;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/webhooks/whatsapp", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean signed = CloudApiSimulator.sign("local-app-secret", body).equals(exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"));
            int status = !signed ? 401 : refuseFirst.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                received.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        simulator = CloudApiSimulator.start(CloudApiSimulator.Config.local(
                URI.create("http://localhost:" + receiver.getAddress().getPort() + "/webhooks/whatsapp")), 0);
    }

    @AfterEach
    void stop() {
        simulator.close();
        receiver.stop(0);
    }

    HttpResponse<String> send(String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(simulator.baseUrl().resolve("/v23.0/106540352242922/messages"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String template(String to) {
        return "{\"messaging_product\":\"whatsapp\",\"to\":\"+" + to + "\",\"type\":\"template\",\"template\":{\"name\":\"autumn_sale\","
                + "\"language\":{\"code\":\"tr\"},\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ayşe\"}]}]}}";
    }

    List<String> statusesOf(String wamid, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> statuses = List.of();
        while (statuses.size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            statuses = received.stream().map(w -> w.at("/entry/0/changes/0/value/statuses/0"))
                    .filter(s -> wamid.equals(s.path("id").asText())).map(s -> s.path("status").asText()).toList();
        }
        return statuses;
    }

    @Test
    void acceptedMessagesGetSignedStatusWebhooksAsScripted() throws Exception {
        simulator.script("905321112233", new CloudApiSimulator.Deliver(Duration.ofMillis(100)));
        simulator.script("905321112244", new CloudApiSimulator.Fail(131049, "This message was not delivered to maintain healthy ecosystem engagement.", "per-user limit"));
        HttpResponse<String> ok = send("local-access-token", template("905321112233"));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(ok.body());
        String wamid = answer.at("/messages/0/id").asText();
        assertThat(answer.at("/contacts/0/wa_id").asText()).isEqualTo("905321112233");
        assertThat(answer.at("/messages/0/message_status").asText()).isEqualTo("accepted");
        assertThat(statusesOf(wamid, 3)).containsExactlyInAnyOrder("sent", "delivered", "read");

        String failed = JSON.readTree(send("local-access-token", template("905321112244")).body()).at("/messages/0/id").asText();
        assertThat(statusesOf(failed, 2)).contains("sent", "failed");
        JsonNode failure = received.stream().map(w -> w.at("/entry/0/changes/0/value/statuses/0"))
                .filter(s -> s.path("status").asText().equals("failed")).findFirst().orElseThrow();
        assertThat(failure.at("/errors/0/code").asInt()).isEqualTo(131049);
        assertThat(simulator.sent()).extracting(CloudApiSimulator.Sent::to).containsExactly("905321112233", "905321112244");
    }

    HttpResponse<String> post(String endpoint, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(simulator.baseUrl().resolve("/v23.0/106540352242922/" + endpoint))
                .header("Authorization", "Bearer local-access-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A hand-written template request to a business-scoped user id, in {@code recipient} as §12.5 says. */
    static String toBsuid(String bsuid, String template) {
        return "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"recipient\":\"" + bsuid + "\","
                + "\"type\":\"template\",\"template\":{\"name\":\"" + template + "\",\"language\":{\"code\":\"tr\"}}}";
    }

    JsonNode statusOf(String wamid, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode w : received) {
                JsonNode s = w.at("/entry/0/changes/0/value/statuses/0");
                if (wamid.equals(s.path("id").asText()) && status.equals(s.path("status").asText())) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + status + " status for " + wamid);
    }

    @Test
    void usernameOnlyCustomersAreReachedThroughRecipientNeverThroughToAndNotWithAuthenticationTemplates() throws Exception {
        simulator.registerTemplate("giris_kodu", "tr", "AUTHENTICATION", JSON.readTree("[{\"type\":\"BODY\",\"text\":\"Kod {{1}}\"}]"));
        HttpResponse<String> ok = post("messages", toBsuid("TR.13491208655302741918", "kis_indirimi_a"));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(ok.body());
        assertThat(answer.at("/contacts/0/user_id").asText()).isEqualTo("TR.13491208655302741918");
        assertThat(answer.at("/contacts/0/wa_id").isMissingNode()).isTrue();
        JsonNode sent = statusOf(answer.at("/messages/0/id").asText(), "sent");
        assertThat(sent.path("recipient_user_id").asText()).isEqualTo("TR.13491208655302741918");
        assertThat(sent.has("recipient_id")).as("no phone number in a username-only customer's status").isFalse();
        assertThat(sent.at("/pricing/category").asText()).isEqualTo("marketing");
        assertThat(simulator.sent()).extracting(CloudApiSimulator.Sent::to).containsExactly("TR.13491208655302741918");

        // authentication templates only go to phone numbers
        HttpResponse<String> auth = post("messages", toBsuid("TR.13491208655302741918", "giris_kodu"));
        assertThat(auth.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(auth.body()).at("/error/code").asInt()).isEqualTo(131062);
        // a BSUID in `to` is accepted and silently dropped: no status ever comes
        HttpResponse<String> dropped = post("messages", template("x").replace("\"+x\"", "\"TR.555\""));
        assertThat(dropped.statusCode()).isEqualTo(200);
        assertThat(simulator.droppedBsuidsInTo()).isEqualTo(1);
        // both forms at once, or a recipient that is not a BSUID: invalid
        assertThat(post("messages", toBsuid("TR.1", "kis_indirimi_a").replace("\"recipient_type\"", "\"to\":\"+905321112233\",\"recipient_type\""))
                .statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(post("messages", toBsuid("+905321112233", "kis_indirimi_a")).body()).at("/error/code").asInt()).isEqualTo(100);
        Thread.sleep(300);
        assertThat(simulator.sent()).hasSize(1);

        // a username-only customer writes: user_id and username, empty wa_id and from
        simulator.usernameOnlyCustomerSays("TR.13491208655302741918", "ayse.k", "Ayşe", "Merhaba");
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode inbound = null;
        while (inbound == null && System.currentTimeMillis() < deadline) {
            inbound = received.stream().map(w -> w.at("/entry/0/changes/0/value")).filter(v -> v.has("messages")).findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertThat(inbound).isNotNull();
        assertThat(inbound.at("/contacts/0/user_id").asText()).isEqualTo("TR.13491208655302741918");
        assertThat(inbound.at("/contacts/0/profile/username").asText()).isEqualTo("ayse.k");
        assertThat(inbound.at("/contacts/0/wa_id").asText()).isEmpty();
        assertThat(inbound.at("/messages/0/from").asText()).isEmpty();
        assertThat(inbound.at("/messages/0/from_user_id").asText()).isEqualTo("TR.13491208655302741918");
    }

    JsonNode inboundSaying(String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode w : received) {
                JsonNode v = w.at("/entry/0/changes/0/value");
                if (text.equals(v.at("/messages/0/text/body").asText())) {
                    return v;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no inbound message " + text);
    }

    @Test
    void aCustomerKnownByPhoneSwitchesToAUsernameAndIsThenNamedByBsuidOnly() throws Exception {
        String waId = "905321112255";
        String bsuid = "TR.88812345678901234567";
        simulator.script(waId, new CloudApiSimulator.Deliver(Duration.ofMillis(50)));
        // before any BSUID: the number only
        simulator.customerSays(waId, "Ayşe Kaya", "bir");
        assertThat(inboundSaying("bir").at("/contacts/0/user_id").isMissingNode()).isTrue();

        // Meta adds the BSUID beside the number
        simulator.customerHasBsuid(waId, bsuid);
        assertThat(simulator.bsuidOf("+" + waId)).isEqualTo(bsuid);
        simulator.customerSays(waId, "Ayşe Kaya", "iki");
        JsonNode both = inboundSaying("iki");
        assertThat(both.at("/contacts/0/wa_id").asText()).isEqualTo(waId);
        assertThat(both.at("/contacts/0/user_id").asText()).isEqualTo(bsuid);
        assertThat(both.at("/messages/0/from").asText()).isEqualTo(waId);
        assertThat(both.at("/messages/0/from_user_id").asText()).isEqualTo(bsuid);
        String toPhone = JSON.readTree(send("local-access-token", template(waId)).body()).at("/messages/0/id").asText();
        JsonNode delivered = statusOf(toPhone, "delivered");
        assertThat(delivered.path("recipient_id").asText()).isEqualTo(waId);
        assertThat(delivered.path("recipient_user_id").asText()).isEqualTo(bsuid);

        // a username adopted, the number withheld from now on
        simulator.customerAdoptsUsername(waId, "ayse.kaya");
        simulator.customerSays(waId, "Ayşe Kaya", "üç");
        JsonNode withheld = inboundSaying("üç");
        assertThat(withheld.at("/contacts/0/wa_id").asText()).isEmpty();
        assertThat(withheld.at("/contacts/0/user_id").asText()).isEqualTo(bsuid);
        assertThat(withheld.at("/contacts/0/profile/username").asText()).isEqualTo("ayse.kaya");
        assertThat(withheld.at("/messages/0/from").asText()).isEmpty();
        assertThat(withheld.at("/messages/0/from_user_id").asText()).isEqualTo(bsuid);
        assertThat(withheld.toString()).as("the number nowhere in the webhook").doesNotContain(waId)
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(("IN" + waId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .substring(0, 12));
        // a message to the BSUID reaches them, following their number's script (read after 50 ms); statuses name the BSUID only
        HttpResponse<String> byBsuid = post("messages", toBsuid(bsuid, "kis_indirimi_a"));
        assertThat(byBsuid.statusCode()).isEqualTo(200);
        String wamid = JSON.readTree(byBsuid.body()).at("/messages/0/id").asText();
        JsonNode read = statusOf(wamid, "read");
        assertThat(read.path("recipient_user_id").asText()).isEqualTo(bsuid);
        assertThat(read.has("recipient_id")).isFalse();
        // a message still sent to the number: delivered, its statuses without the number too
        String stillToPhone = JSON.readTree(send("local-access-token", template(waId)).body()).at("/messages/0/id").asText();
        JsonNode sent = statusOf(stillToPhone, "delivered");
        assertThat(sent.path("recipient_user_id").asText()).isEqualTo(bsuid);
        assertThat(sent.has("recipient_id")).isFalse();
        assertThat(simulator.sent()).extracting(CloudApiSimulator.Sent::to).containsExactly(waId, bsuid, waId);
        assertThat(simulator.droppedBsuidsInTo()).isZero();
    }

    @Test
    void theMarketingMessagesApiTakesMarketingTemplatesOnlyAndPricesThemMarketingLite() throws Exception {
        simulator.registerTemplate("siparis_durumu", "tr", "UTILITY", JSON.readTree("[{\"type\":\"BODY\",\"text\":\"Siparişiniz {{1}}\"}]"));
        HttpResponse<String> ok = post("marketing_messages", template("905321112255").replace("autumn_sale", "kis_indirimi_a"));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode sent = statusOf(JSON.readTree(ok.body()).at("/messages/0/id").asText(), "sent");
        assertThat(sent.at("/pricing/category").asText()).isEqualTo("marketing_lite");
        assertThat(sent.at("/pricing/type").asText()).isEqualTo("regular");
        assertThat(simulator.sent()).extracting(CloudApiSimulator.Sent::api).containsExactly("marketing_messages");

        HttpResponse<String> utility = post("marketing_messages", template("905321112256").replace("autumn_sale", "siparis_durumu"));
        assertThat(utility.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(utility.body()).at("/error/code").asInt()).isEqualTo(100);
        // on /messages the utility template is priced as utility
        HttpResponse<String> plain = post("messages", template("905321112257").replace("autumn_sale", "siparis_durumu"));
        assertThat(statusOf(JSON.readTree(plain.body()).at("/messages/0/id").asText(), "sent").at("/pricing/category").asText())
                .isEqualTo("utility");

        simulator.marketingMessagesTermsAccepted(false);
        HttpResponse<String> terms = post("marketing_messages", template("905321112258").replace("autumn_sale", "kis_indirimi_a"));
        assertThat(terms.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(terms.body()).at("/error/code").asInt()).isEqualTo(10);
    }

    @Test
    void badTokensBadBodiesRejectionsAndTheThroughputLimitGetGraphErrors() throws Exception {
        HttpResponse<String> unauthorized = send("wrong", template("905321112233"));
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unauthorized.body()).at("/error/code").asInt()).isEqualTo(190);
        HttpResponse<String> bad = send("local-access-token", "{\"messaging_product\":\"whatsapp\",\"to\":\"12\",\"type\":\"text\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/error/code").asInt()).isEqualTo(100);
        assertThat(JSON.readTree(bad.body()).at("/error/error_data/messaging_product").asText()).isEqualTo("whatsapp");
        simulator.script("905321110000", new CloudApiSimulator.Reject(131026, "Message undeliverable", "not a WhatsApp user"));
        assertThat(JSON.readTree(send("local-access-token", template("905321110000")).body()).at("/error/code").asInt()).isEqualTo(131026);
        // a registered template that is not approved is refused as Meta refuses it
        simulator.registerTemplate("autumn_sale", "tr", 1);
        assertThat(send("local-access-token", template("905321110001")).statusCode()).isEqualTo(200);
        simulator.templateStatus("autumn_sale", "tr", "PAUSED", "LOW_QUALITY");
        HttpResponse<String> paused = send("local-access-token", template("905321110002"));
        assertThat(paused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(paused.body()).at("/error/code").asInt()).isEqualTo(132015);
        simulator.templateStatus("autumn_sale", "tr", "DISABLED", null);
        assertThat(JSON.readTree(send("local-access-token", template("905321110003")).body()).at("/error/code").asInt()).isEqualTo(132016);
        simulator.templateStatus("autumn_sale", "tr", "REJECTED", null);
        assertThat(JSON.readTree(send("local-access-token", template("905321110004")).body()).at("/error/code").asInt()).isEqualTo(132001);
        assertThat(simulator.sent()).extracting(CloudApiSimulator.Sent::to).doesNotContain("905321110002", "905321110003", "905321110004");

        simulator.close();
        CloudApiSimulator.Config local = CloudApiSimulator.Config.local(null);
        simulator = CloudApiSimulator.start(new CloudApiSimulator.Config(local.accessToken(), local.appSecret(), local.wabaId(),
                local.phoneNumberId(), local.displayNumber(), null, 5), 0);
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = send("local-access-token", template("9053211" + String.format("%05d", i)));
            if (r.statusCode() == 400 && JSON.readTree(r.body()).at("/error/code").asInt() == 130429) {
                limited++;
            }
        }
        assertThat(limited).as("5 messages per second, then 130429").isPositive();
    }

    @Test
    void customersReplyTapAndStopAndWebhooksAreRetriedUntilAnswered() throws Exception {
        refuseFirst.set(2);
        String wamid = simulator.customerSays("905321112233", "Ayşe", "DUR");
        simulator.customerTaps("905321112233", "Ayşe", "csat_5", "5", "wamid.previous");
        simulator.customerPreference("905321112233", "stop");
        long deadline = System.currentTimeMillis() + 15_000;
        while (received.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(received).hasSize(3);
        assertThat(simulator.webhooksRetried()).isGreaterThanOrEqualTo(2);
        JsonNode text = received.stream().filter(w -> w.at("/entry/0/changes/0/value/messages/0/id").asText().equals(wamid)).findFirst().orElseThrow();
        assertThat(text.at("/entry/0/changes/0/value/messages/0/text/body").asText()).isEqualTo("DUR");
        assertThat(text.at("/entry/0/changes/0/value/contacts/0/profile/name").asText()).isEqualTo("Ayşe");
        assertThat(received).anySatisfy(w -> assertThat(w.at("/entry/0/changes/0/field").asText()).isEqualTo("user_preferences"));
    }
}
