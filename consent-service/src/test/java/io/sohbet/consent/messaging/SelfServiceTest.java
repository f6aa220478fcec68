package io.sohbet.consent.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.sohbet.consent.CloudApiStandIn;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyErasureAck;
import io.sohbet.events.payload.WaInbound;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static io.sohbet.consent.Fixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;

/** Self-service over WhatsApp: keywords on wa.inbound, answers sent to the Cloud API (devstack's simulator). */
@QuarkusTest
class SelfServiceTest {

    @Inject
    KeyVault keys;

    @Inject
    Pool pool;

    record Person(String phone, String subject, String waId) {
    }

    static Person knownPerson(String name) {
        String phone = phone();
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone, "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        given().auth().oauth2(officer()).contentType(ContentType.JSON)
                .body("{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\",\"email\":\"kisi@example.com\"}")
                .when().put("/api/identities").then().statusCode(200);
        String e164 = IDS.normalise(phone);
        return new Person(phone, IDS.fromPhone(phone), e164.substring(1));
    }

    CloudEvent says(Person person, String text, Instant at) throws Throwable {
        byte[] key = VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(person.subject()))).get(person.subject());
        String wamid = "mid_" + UUID.randomUUID();
        WaInbound message = new WaInbound(wamid, "pn", at, "text", "text", null, FieldCipher.encrypt(key, person.subject(), text),
                text.length(), null, null, null, null, null, null, null, false, null, null, null, null, List.of());
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/sohbet/webhook-service", Instant.now(), person.subject(), message);
    }

    static CloudEvent taps(Person person, String replyId, String title) {
        String wamid = "mid_" + UUID.randomUUID();
        WaInbound message = new WaInbound(wamid, "pn", Instant.now().truncatedTo(ChronoUnit.SECONDS), "interactive", "interactive",
                "button_reply", null, null, null, null, replyId, title, null, null, "mid_confirmation", false, null, null, null, null, List.of());
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/sohbet/webhook-service", Instant.now(), person.subject(), message);
    }

    static List<CloudApiSimulator.Sent> sentTo(Person person) {
        return CloudApiStandIn.simulator().sent().stream().filter(m -> m.to().equals(person.waId())).toList();
    }

    static List<CloudApiSimulator.Sent> await(Person person, Predicate<List<CloudApiSimulator.Sent>> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!done.test(sentTo(person)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        return sentTo(person);
    }

    static String text(CloudApiSimulator.Sent message) {
        return message.body().path("text").path("body").asText();
    }

    @Test
    void erasingOverWhatsAppAsksToConfirmFilesAWhatsAppRequestAndTellsThePersonBeforeNothingOfThemRemains() throws Throwable {
        Person person = knownPerson("Selin Karaosmanoğlu");
        Person other = knownPerson("Deniz Kaya");
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            CloudEvent erase = says(person, "Verilerimi sil", Instant.now().truncatedTo(ChronoUnit.SECONDS));
            kafka.send(Topics.WA_INBOUND, person.subject(), erase);
            kafka.send(Topics.WA_INBOUND, person.subject(), erase); // Meta's retry: one confirmation
            kafka.send(Topics.WA_INBOUND, other.subject(), says(other, "verilerimi sil", Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            await(other, sent -> !sent.isEmpty());
            List<CloudApiSimulator.Sent> sent = await(person, s -> !s.isEmpty());
            Thread.sleep(1000);
            assertThat(sentTo(person)).as("one confirmation, whatever the redeliveries").hasSize(1);
            JsonNode confirmation = sent.get(0).body();
            assertThat(confirmation.path("type").asText()).isEqualTo("interactive");
            assertThat(confirmation.path("to").asText()).isEqualTo(person.waId());
            JsonNode buttons = confirmation.path("interactive").path("action").path("buttons");
            assertThat(confirmation.path("interactive").path("type").asText()).isEqualTo("button");
            assertThat(buttons).hasSize(2);
            String confirm = buttons.get(0).path("reply").path("id").asText();
            String cancel = buttons.get(1).path("reply").path("id").asText();
            assertThat(confirm).startsWith("sohbet-erase-confirm:");
            assertThat(cancel).isEqualTo("sohbet-erase-cancel:" + confirm.substring(confirm.indexOf(':') + 1));
            String othersConfirm = sentTo(other).get(0).body().path("interactive").path("action").path("buttons").get(0)
                    .path("reply").path("id").asText();

            // a forged nonce, and the other person's confirmation tapped from this number: nothing but a polite answer
            kafka.send(Topics.WA_INBOUND, person.subject(), taps(person, "sohbet-erase-confirm:forged", "Evet, sil"));
            kafka.send(Topics.WA_INBOUND, person.subject(), taps(person, othersConfirm, "Evet, sil"));
            assertThat(await(person, s -> s.size() >= 3).subList(1, 3)).allSatisfy(m -> assertThat(text(m)).contains("geçerli değil"));
            assertThat(count(pool, "SELECT count(*) FROM dsr_request WHERE subject_id = $1 OR subject_id = $2", person.subject(),
                    other.subject())).as("requests filed by forged taps").isZero();

            // confirmed (and the tap redelivered): one erasure, from WhatsApp, by the person
            CloudEvent confirmed = taps(person, confirm, "Evet, sil");
            kafka.send(Topics.WA_INBOUND, person.subject(), confirmed);
            kafka.send(Topics.WA_INBOUND, person.subject(), confirmed);
            JsonNode request = awaitRequest(person.subject());
            assertThat(request.path("type").asText()).isEqualTo("erasure");
            assertThat(request.path("source").asText()).isEqualTo("whatsapp");
            assertThat(request.path("requestedBy").asText()).isEqualTo("subject-via-whatsapp");
            assertThat(request.path("status").asText()).isEqualTo("in-progress");
            Thread.sleep(1500);
            assertThat(count(pool, "SELECT count(*) FROM dsr_request WHERE subject_id = $1", person.subject())).isEqualTo(1);
            assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1", person.subject())).isZero();
            assertThat(sentTo(person)).as("nothing said before the erasure is done").hasSize(3);
            assertThat(count(pool, "SELECT count(*) FROM self_service_reply WHERE request_id = $1 AND NOT due",
                    request.path("id").asText())).as("the notice waits for the services").isEqualTo(1);

            String requestId = request.path("id").asText();
            for (String service : List.of("webhook-service", "metrics-service", "segment-service", "campaign-service")) {
                kafka.send(Topics.PRIVACY_ERASURE_ACK, person.subject(), CloudEvent.of(Topics.PRIVACY_ERASURE_ACK,
                        "ack:" + requestId + ":" + service, "/sohbet/" + service, Instant.now(), person.subject(),
                        new PrivacyErasureAck(requestId, service, Instant.now(), 2)));
            }
            JsonNode done = awaitStatus(requestId, "completed");
            assertThat(done.path("status").asText()).isEqualTo("completed");
            // told: sent before the request was completed (the notice's row is deleted in the completing transaction)
            List<CloudApiSimulator.Sent> all = sentTo(person);
            assertThat(all).hasSize(4);
            assertThat(text(all.get(3))).contains("Verileriniz tüm sistemlerimizden silindi");
            assertThat(all.get(3).at()).isBefore(Instant.parse(done.path("completedAt").asText()).plusMillis(1));
            // nothing of the person remains in any table but the request's proof
            assertThat(count(pool, "SELECT count(*) FROM self_service_reply WHERE subject_id = $1", person.subject())).isZero();
            assertThat(count(pool, "SELECT count(*) FROM self_service_message WHERE subject_id = $1", person.subject())).isZero();
            assertThat(count(pool, "SELECT count(*) FROM self_service_confirmation WHERE subject_id = $1", person.subject())).isZero();
            for (Row table : sql(pool, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                String name = table.getString("table_name");
                assertThat(count(pool, "SELECT count(*) FROM \"" + name + "\" t WHERE t::text LIKE $1 OR t::text LIKE $2",
                        "%" + person.waId().substring(2) + "%", "%Karaosmanoğlu%")).as("rows of %s holding the person", name).isZero();
            }
            assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE action = 'kvkk.destruction' AND details::text LIKE $1",
                    "%" + requestId + "%")).as("destruction records of the request").isPositive();
        }
    }

    @Test
    void consentsAndDataAnswersTellTheStatesInTheKeywordsLanguageAndCancelErasesNothing() throws Throwable {
        Person person = knownPerson("Ali Vural");
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(person.phone(), "analytics")
                        .replace("\"granted\"", "\"revoked\"").replace("2026-11-01T09:00:00Z", "2026-11-02T10:30:00Z"))
                .when().post("/api/consents").then().statusCode(201);
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "İZİNLERİM", Instant.now()));
            String consents = text(await(person, s -> s.size() >= 1).get(0));
            assertThat(consents).startsWith("Bizdeki izinleriniz:")
                    .contains("Pazarlama mesajları (whatsapp): izin verildi, 01.11.2026 12:00 tarihinden beri, aydınlatma metni sürümü 2026-01")
                    .contains("Analiz (whatsapp): geri çekildi, 02.11.2026 13:30 tarihinden beri");

            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "my consents", Instant.now()));
            assertThat(text(await(person, s -> s.size() >= 2).get(1))).startsWith("Your consents with us:")
                    .contains("Marketing messages (whatsapp): granted since 01.11.2026 12:00, notice version 2026-01")
                    .contains("Analytics (whatsapp): withdrawn since 02.11.2026 13:30");

            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "My data", Instant.now()));
            String data = text(await(person, s -> s.size() >= 3).get(2));
            assertThat(data).startsWith("What we hold about you (categories only):")
                    .contains("Identity and contact (encrypted): phone number, name, e-mail address")
                    .contains("Consents: 2 entries").contains("Marketing messages: granted").contains("Analytics: withdrawn")
                    .contains("metrics-service: ").contains("campaign-service: ").contains("Marketing")
                    .doesNotContain("Vural").doesNotContain("kisi@example.com").doesNotContain(person.waId().substring(2));
            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "verilerim", Instant.now()));
            assertThat(text(await(person, s -> s.size() >= 4).get(3))).startsWith("Hakkınızda tuttuğumuz veriler")
                    .contains("telefon numarası, ad, e-posta adresi");

            // an erasure asked in English, then cancelled: answered in English, nothing filed
            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "DELETE MY DATA", Instant.now()));
            JsonNode confirmation = await(person, s -> s.size() >= 5).get(4).body();
            assertThat(confirmation.path("interactive").path("body").path("text").asText()).contains("erase all your data");
            String cancel = confirmation.path("interactive").path("action").path("buttons").get(1).path("reply").path("id").asText();
            kafka.send(Topics.WA_INBOUND, person.subject(), taps(person, cancel, "No, keep"));
            assertThat(text(await(person, s -> s.size() >= 6).get(5))).isEqualTo("Cancelled: nothing was erased.");
            // the confirmation is used up: its confirm button does nothing now
            String confirm = confirmation.path("interactive").path("action").path("buttons").get(0).path("reply").path("id").asText();
            kafka.send(Topics.WA_INBOUND, person.subject(), taps(person, confirm, "Yes, erase"));
            assertThat(text(await(person, s -> s.size() >= 7).get(6))).contains("no longer valid");
            assertThat(count(pool, "SELECT count(*) FROM dsr_request WHERE subject_id = $1", person.subject())).isZero();
            assertThat(count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1", person.subject())).isEqualTo(1);
        }
    }

    @Test
    void aKeywordOlderThanTheWindowIsRecordedButNotAnsweredAndOtherWordsAreNothing() throws Throwable {
        Person person = knownPerson("Efe Tan");
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            CloudEvent old = says(person, "VERİLERİM", Instant.now().minus(Duration.ofHours(25)));
            kafka.send(Topics.WA_INBOUND, person.subject(), old);
            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "verilerim nerede?", Instant.now()));
            kafka.send(Topics.WA_INBOUND, person.subject(), says(person, "izinlerim", Instant.now()));
            await(person, s -> !s.isEmpty());
            Thread.sleep(1000);
            assertThat(sentTo(person)).as("only the keyword inside the window is answered").singleElement()
                    .satisfies(m -> assertThat(text(m)).startsWith("Bizdeki izinleriniz:"));
            assertThat(sql(pool, "SELECT command, outcome FROM self_service_message WHERE subject_id = $1 ORDER BY received_at",
                    person.subject())).extracting(r -> r.getString("command") + ":" + r.getString("outcome"))
                    .containsExactly("data:outside-window", "consents:answered");
        }
    }

    static JsonNode awaitRequest(String subject) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<java.util.Map<String, Object>> found = given().auth().oauth2(officer()).queryParam("subjectId", subject)
                    .when().get("/api/dsr").then().statusCode(200).extract().jsonPath().getList("$");
            if (!found.isEmpty()) {
                return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(found.get(0));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no request for the subject");
    }

    static JsonNode awaitStatus(String id, String status) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode body;
        do {
            Thread.sleep(200);
            body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given().auth().oauth2(officer())
                    .when().get("/api/dsr/" + id).then().extract().asString());
        } while (!status.equals(body.path("status").asText()) && System.currentTimeMillis() < deadline);
        return body;
    }
}
