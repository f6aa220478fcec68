package io.sohbet.webhook.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.ShopIds;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.kit.Problem;
import io.sohbet.webhook.domain.CommerceReceipt;
import io.sohbet.webhook.repository.CommerceReceiptRepository;
import io.sohbet.webhook.service.SignatureVerifier;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class CommerceWebhookResourceTest {

    private static final String SECRET = "dev-commerce-secret";
    /** The hashes the service under test gives shop ids (its message-id key, test profile). */
    private static final String MESSAGE_ID_KEY = "dev-message-id-key-not-for-production";
    private static final ShopIds SHOP_IDS = ShopIds.withKey(MESSAGE_ID_KEY);

    @Inject
    CommerceReceiptRepository receipts;

    static String order(String id, String phone, String total) {
        return """
                {"id":"%s","type":"order.paid","occurredAt":"2026-11-20T12:00:00Z",
                 "customer":{"phone":"%s","email":"ayse@example.com","name":"Ayşe Yılmaz","gender":"female",
                             "birthYear":1992,"city":"İstanbul","consents":{"marketing":true}},
                 "order":{"id":"o-%s","total":%s,"currency":"TRY",
                          "items":[{"sku":"SKU-1","category":"ayakkabı","quantity":2,"unitPrice":375.00}]},
                 "unknownField":"tolerated"}""".formatted(id, phone, id, total);
    }

    static ValidatableResponse post(String body, String secret) {
        return post(body, secret, Instant.now().getEpochSecond());
    }

    /** Signed as a shop does: HMAC-SHA256 of "<timestamp>." and the body, the timestamp in its own header. */
    static ValidatableResponse post(String body, String secret, long timestamp) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return given().contentType(ContentType.JSON).header("X-Sohbet-Timestamp", Long.toString(timestamp))
                .header("X-Sohbet-Signature", SignatureVerifier.sign(secret, (timestamp + ".").getBytes(StandardCharsets.US_ASCII), bytes))
                .body(bytes).when().post("/webhooks/commerce").then();
    }

    @Test
    void thePreviousSecretIsAcceptedDuringARotationAndTheNewOneToo() {
        post(order("evt-" + UUID.randomUUID(), "05321234567", "10.00"), "dev-commerce-secret").statusCode(200);
        post(order("evt-" + UUID.randomUUID(), "05321234567", "11.00"), "dev-commerce-secret-before").statusCode(200);
        post(order("evt-" + UUID.randomUUID(), "05321234567", "12.00"), "dev-commerce-secret-older").statusCode(401);
    }

    @Test
    void aTimestampOutsideTheToleranceIs401EvenWhenSignedRight() {
        long now = Instant.now().getEpochSecond();
        post(order("evt-" + UUID.randomUUID(), "05321234567", "10.00"), "dev-commerce-secret", now - 6 * 60).statusCode(401)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("X-Sohbet-Timestamp"));
        post(order("evt-" + UUID.randomUUID(), "05321234567", "10.00"), "dev-commerce-secret", now + 6 * 60).statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
        post(order("evt-" + UUID.randomUUID(), "05321234567", "10.00"), "dev-commerce-secret", now - 4 * 60).statusCode(200);
    }

    @Test
    void aMissingOrUnsignedTimestampIs401() {
        byte[] bytes = order("evt-" + UUID.randomUUID(), "05321234567", "10.00").getBytes(StandardCharsets.UTF_8);
        // the signature of the body alone (the format before timestamps), no timestamp header
        given().contentType(ContentType.JSON).header("X-Sohbet-Signature", SignatureVerifier.sign("dev-commerce-secret", bytes))
                .body(bytes).when().post("/webhooks/commerce").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("X-Sohbet-Timestamp"));
        // a timestamp header that the signature does not cover
        given().contentType(ContentType.JSON).header("X-Sohbet-Timestamp", Long.toString(Instant.now().getEpochSecond()))
                .header("X-Sohbet-Signature", SignatureVerifier.sign("dev-commerce-secret", bytes))
                .body(bytes).when().post("/webhooks/commerce").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).header("X-Sohbet-Timestamp", "yesterday")
                .header("X-Sohbet-Signature", SignatureVerifier.sign("dev-commerce-secret", bytes))
                .body(bytes).when().post("/webhooks/commerce").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void anOrderIsPublishedWithSealedPersonalFieldsAndRetriesAreIdempotent() {
        String id = "evt-" + UUID.randomUUID();
        String subject = new SubjectIds("dev-pepper-not-for-production".getBytes(StandardCharsets.UTF_8)).fromPhone("05321234567");
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.COMMERCE_EVENT)) {
            post(order(id, "0532 123 45 67", "750.00"), SECRET).statusCode(200)
                    .body("eventId", equalTo("commerce:" + SHOP_IDS.of(id))).body("duplicate", equalTo(false));
            post(order(id, "0532 123 45 67", "750.00"), SECRET).statusCode(200).body("duplicate", equalTo(true));

            var records = kafka.await(1, r -> r.value().id().equals("commerce:" + SHOP_IDS.of(id)), Duration.ofSeconds(20));
            CloudEvent event = records.get(0).value();
            assertThat(records.get(0).key()).isEqualTo(subject);
            CommerceEvent payload = event.dataAs(CommerceEvent.class);
            assertThat(payload.eventType()).isEqualTo("order.paid");
            assertThat(payload.total()).isEqualByComparingTo(new BigDecimal("750.00"));
            assertThat(payload.items()).singleElement().satisfies(i -> assertThat(i.category()).isEqualTo("ayakkabı"));
            byte[] key = KeyVaultStandIn.keyOf(subject);
            assertThat(FieldCipher.decrypt(key, subject, payload.customer().phone())).isEqualTo("0532 123 45 67");
            assertThat(FieldCipher.decrypt(key, subject, payload.customer().city())).isEqualTo("İstanbul");
            assertThat(payload.customer().consents()).containsEntry("marketing", true);
            assertThat(event.data().toString()).doesNotContain("Ayşe", "ayse@example.com", "0532", "1992");
            // the shop's ids point at the customer in the shop's database: only their keyed hashes travel
            assertThat(payload.orderId()).isEqualTo(SHOP_IDS.of("o-" + id));
            assertThat(payload.shopEventId()).isEqualTo(SHOP_IDS.of(id));
            assertThat(event.toString() + event.data()).doesNotContain(id);
            assertThat(kafka.drain(Duration.ofSeconds(1))).noneMatch(r -> r.value().id().equals("commerce:" + SHOP_IDS.of(id)));
        }
    }

    @Test
    void theSameIdWithAnotherBodyIs409() {
        String id = "evt-" + UUID.randomUUID();
        post(order(id, "+905321234567", "10"), SECRET).statusCode(200);
        post(order(id, "+905321234567", "11"), SECRET).statusCode(409).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void invalidFieldsAre400WithPointers() {
        String body = """
                {"id":"","type":"order.shipped","occurredAt":"2026-11-20T12:00:00Z",
                 "customer":{"phone":"12","email":"not-an-email","birthYear":1850,"consents":{"spam":true}},
                 "order":{"id":"o","total":-1,"currency":"lira","items":[{"sku":"s","quantity":0,"unitPrice":1}]}}""";
        post(body, SECRET).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", hasItems("/id", "/type", "/customer/email", "/customer/birthYear",
                        "/customer/consents/spam", "/order/total", "/order/currency", "/order/items/0/quantity"));
        post(order("evt-" + UUID.randomUUID(), "12", "1"), SECRET).statusCode(400)
                .body("errors[0].pointer", equalTo("/customer/phone"));
        post(order("evt-" + UUID.randomUUID(), "05321234567", "\"abc\""), SECRET).statusCode(400)
                .body("errors[0].pointer", equalTo("/order/total"));
        post("{\"id\":\"x\",\"type\":\"cart.abandoned\",\"occurredAt\":\"2026-11-20T12:00:00Z\",\"customer\":{\"phone\":\"05321234567\"}}",
                SECRET).statusCode(400).body("errors[0].pointer", equalTo("/cart"));
        post("{not json", SECRET).statusCode(400).body("detail", containsString("not valid JSON"));
        post("null", SECRET).statusCode(400);
    }

    @Test
    void anEventDatedMoreThanFiveMinutesAheadIs400AndOneWithinIsTaken() {
        String ahead = order("evt-" + UUID.randomUUID(), "05321234567", "1")
                .replace("2026-11-20T12:00:00Z", Instant.now().plus(Duration.ofMinutes(6)).toString());
        post(ahead, SECRET).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors.pointer", org.hamcrest.Matchers.contains("/occurredAt"))
                .body("errors[0].detail", containsString("5 minutes in the future"));
        // a shop's clock a little ahead (or its offset written as +03:00) is fine
        String slightlyAhead = order("evt-" + UUID.randomUUID(), "05321234567", "1").replace("2026-11-20T12:00:00Z",
                Instant.now().plus(Duration.ofMinutes(3)).atOffset(java.time.ZoneOffset.ofHours(3)).toString());
        post(slightlyAhead, SECRET).statusCode(200).body("duplicate", equalTo(false));
    }

    @Test
    void badSignatureIs401() {
        post(order("evt-" + UUID.randomUUID(), "05321234567", "1"), "wrong-secret").statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body("{}").when().post("/webhooks/commerce").then().statusCode(401);
    }

    @Test
    void theReceiptKeepsAKeyedFingerprintOfTheBodyThatTheShopCannotRecompute() throws Throwable {
        String id = "evt-" + UUID.randomUUID();
        byte[] body = order(id, "+905321234567", "42").getBytes(StandardCharsets.UTF_8);
        post(new String(body, StandardCharsets.UTF_8), SECRET).statusCode(200).body("duplicate", equalTo(false));

        CommerceReceipt receipt = receipt(SHOP_IDS.hash(id));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(MESSAGE_ID_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("commerce-receipt\0".getBytes(StandardCharsets.UTF_8));
        assertThat(receipt.bodySha256()).hasSize(64).isEqualTo(HexFormat.of().formatHex(mac.doFinal(body)))
                .as("not the plain SHA-256 the shop could compute from the body it holds").isNotEqualTo(sha256(body));
        post(new String(body, StandardCharsets.UTF_8), SECRET).statusCode(200).body("duplicate", equalTo(true));
    }

    @Test
    void aRetryOfABodyAcceptedBeforeTheKeyingIsStillADuplicateAndAnotherBodyA409() throws Throwable {
        String id = "evt-" + UUID.randomUUID();
        String body = order(id, "+905321234567", "43");
        // a receipt stored before the keying holds the plain SHA-256 of the body
        String legacy = sha256(body.getBytes(StandardCharsets.UTF_8));
        VertxContextSupport.subscribeAndAwait(() -> receipts.store(new CommerceReceipt(SHOP_IDS.hash(id), legacy, "order.paid", Instant.now())));

        post(body, SECRET).statusCode(200).body("eventId", equalTo("commerce:" + SHOP_IDS.hash(id)))
                .body("duplicate", equalTo(true));
        post(order(id, "+905321234567", "44"), SECRET).statusCode(409).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aShopIdThatLooksHashedIsHashedAllTheSame() throws Throwable {
        String id = "sid_" + UUID.randomUUID(); // the shop's own id, by chance in our prefix
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.COMMERCE_EVENT)) {
            post(order(id, "+905321234567", "45"), SECRET).statusCode(200)
                    .body("eventId", equalTo("commerce:" + SHOP_IDS.hash(id)));
            CloudEvent event = kafka.await(1, r -> r.value().id().equals("commerce:" + SHOP_IDS.hash(id)),
                    Duration.ofSeconds(20)).get(0).value();
            assertThat(event.dataAs(CommerceEvent.class).shopEventId()).isEqualTo(SHOP_IDS.hash(id)).isNotEqualTo(id);
            assertThat(event.toString() + event.data()).doesNotContain(id);
        }
        assertThat(receipt(id)).as("no receipt under the clear id").isNull();
        assertThat(receipt(SHOP_IDS.hash(id))).isNotNull();
    }

    private CommerceReceipt receipt(String shopEventId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> receipts.find(shopEventId));
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
