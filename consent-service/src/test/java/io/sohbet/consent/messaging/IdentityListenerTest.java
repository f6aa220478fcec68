package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.service.IdentityVault;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.WaContact;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class IdentityListenerTest {

    @Inject
    KeyVault keys;

    @Inject
    IdentityVault vault;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    byte[] key(String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject))).get(subject);
    }

    IdentityVault.Contact awaitContact(String subject, java.util.function.Predicate<IdentityVault.Contact> done) throws Throwable {
        long deadline = System.currentTimeMillis() + 30_000;
        IdentityVault.Contact contact = null;
        while ((contact == null || !done.test(contact)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            contact = VertxContextSupport.subscribeAndAwait(() -> vault.open(Set.of(subject))).get(subject);
        }
        return contact;
    }

    static CloudEvent contact(String subject, byte[] key, String waId, String name, Instant seen) {
        return CloudEvent.of(Topics.WA_CONTACT, "wa.contact:" + subject + ":" + seen.toEpochMilli(), "/sohbet/webhook-service",
                seen, subject, new WaContact(FieldCipher.encrypt(key, subject, waId), FieldCipher.encrypt(key, subject, name),
                        null, "pn-1", seen));
    }

    @Test
    void whatsAppContactsAndShopCustomersFillTheVaultAndLateEventsDoNotOverwrite() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        byte[] key = key(subject);
        Instant now = Instant.now();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, phone.substring(1), "Zeynep K.", now));
            assertThat(awaitContact(subject, c -> c.name() != null).name()).isEqualTo("Zeynep K.");
            assertThat(awaitContact(subject, c -> c.phone() != null).phone()).isEqualTo(phone);

            CommerceEvent order = new CommerceEvent("shop-1", "customer.upserted", now.plusSeconds(5), null, null,
                    BigDecimal.ZERO, "TRY", List.of(), new CommerceEvent.Customer(FieldCipher.encrypt(key, subject, phone),
                    FieldCipher.encrypt(key, subject, "zeynep@example.com"), FieldCipher.encrypt(key, subject, "Zeynep Kaya"),
                    null, null, null, Map.of()));
            kafka.send(Topics.COMMERCE_EVENT, subject, CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + subject,
                    "/sohbet/webhook-service", now.plusSeconds(5), subject, order));
            IdentityVault.Contact merged = awaitContact(subject, c -> "zeynep@example.com".equals(c.email()));
            assertThat(merged.name()).isEqualTo("Zeynep Kaya");

            // an older sighting arrives late: it changes nothing; a phone of someone else is dropped
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, "905329990011", "Old Name", now.minusSeconds(3600)));
            String other = IDS.fromPhone(phone());
            byte[] otherKey = key(other);
            kafka.send(Topics.WA_CONTACT, other, contact(other, otherKey, phone.substring(1), "Intruder", now));
            assertThat(awaitContact(other, c -> c.name() != null).phone()).isNull();
            IdentityVault.Contact after = awaitContact(subject, c -> true);
            assertThat(after.name()).isEqualTo("Zeynep Kaya");
            assertThat(after.phone()).isEqualTo(phone);
        }
    }

    @Test
    void aShopEventDatedInTheFutureCountsAsSeenNowAndARectificationStillWins() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        byte[] key = key(subject);
        Instant nextYear = Instant.now().plus(java.time.Duration.ofDays(365));
        CommerceEvent customer = new CommerceEvent("shop-ahead", "customer.upserted", nextYear, null, null, BigDecimal.ZERO,
                "TRY", List.of(), new CommerceEvent.Customer(FieldCipher.encrypt(key, subject, phone), null,
                FieldCipher.encrypt(key, subject, "Saat İleri"), null, null, null, Map.of()));
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.COMMERCE_EVENT, subject, CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:ahead-" + subject,
                    "/sohbet/webhook-service", nextYear, subject, customer));
        }
        assertThat(awaitContact(subject, c -> c.name() != null).name()).isEqualTo("Saat İleri");
        assertThat(io.sohbet.consent.Fixtures.count(pool, "SELECT count(*) FROM identity WHERE subject_id = $1 AND seen_at <= now()",
                subject)).as("stored as seen on arrival, not next year").isEqualTo(1);

        io.restassured.RestAssured.given().auth().oauth2(io.sohbet.consent.Fixtures.officer())
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"type\":\"rectification\",\"subjectId\":\"" + subject + "\",\"changes\":{\"name\":\"Doğru Ad\"}}")
                .when().post("/api/dsr").then().statusCode(202)
                .body("outcome", org.hamcrest.Matchers.equalTo("changed"));
        assertThat(VertxContextSupport.subscribeAndAwait(() -> vault.open(Set.of(subject))).get(subject).name()).isEqualTo("Doğru Ad");
    }

    @Test
    void aSightingFromBeforeThePersonsErasureDoesNotBringThemBack() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        Instant erasedAt = Instant.now().minusSeconds(3600);
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("INSERT INTO dsr_request "
                        + "(id, type, subject_id, status, requested_by, received_at, due_at) VALUES ($1, 'erasure', $2, 'completed', "
                        + "'test', $3, $3)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(java.util.UUID.randomUUID().toString(), subject,
                        erasedAt.atOffset(java.time.ZoneOffset.UTC))));
        byte[] key = key(subject); // the person came back since: a new key (Meta's retry is sealed with it too)
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // Meta retries a webhook from before the erasure, then the person writes again (same partition, in order)
            kafka.send(Topics.WA_CONTACT, subject, contact(subject, key, phone.substring(1), "Eski Ad", erasedAt.minusSeconds(60)));
            Instant now = Instant.now();
            kafka.send(Topics.WA_CONTACT, subject, CloudEvent.of(Topics.WA_CONTACT, "wa.contact:" + subject + ":now", "/sohbet/webhook-service",
                    now, subject, new WaContact(FieldCipher.encrypt(key, subject, phone.substring(1)), null, null, "pn-1", now)));
        }
        IdentityVault.Contact contact = awaitContact(subject, c -> c.phone() != null);
        assertThat(contact.phone()).isEqualTo(phone);
        assertThat(contact.name()).as("the name from the sighting before the erasure").isNull();
    }
}
