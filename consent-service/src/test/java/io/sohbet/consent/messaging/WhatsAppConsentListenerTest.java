package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaPreference;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class WhatsAppConsentListenerTest {

    @Inject
    KeyVault vault;

    @Inject
    ConsentRecordRepository records;

    static String subject() {
        return UUID.randomUUID().toString().replace("-", "") + "xyz";
    }

    CloudEvent reply(String subject, String wamid, String text) throws Throwable {
        byte[] key = VertxContextSupport.subscribeAndAwait(() -> vault.getOrCreate(Set.of(subject))).get(subject);
        WaInbound message = new WaInbound(wamid, "pn", Instant.now(), "text", "text", null,
                FieldCipher.encrypt(key, subject, text), text.length(), null, null, null, null, null, null, null, false,
                null, null, null, null, List.of());
        return CloudEvent.of(Topics.WA_INBOUND, "wa.inbound:" + wamid, "/sohbet/webhook-service", Instant.now(), subject, message);
    }

    static CloudEvent preference(String subject, String value) {
        return CloudEvent.of(Topics.WA_PREFERENCE, "wa.preference:" + subject + ":" + value + ":" + System.nanoTime(),
                "/sohbet/webhook-service", Instant.now(), subject,
                new WaPreference("marketing_messages", value, "User requested to " + value, Instant.now(), "pn"));
    }

    List<ConsentRecord> awaitHistory(String subject, Predicate<List<ConsentRecord>> done) throws Throwable {
        List<ConsentRecord> history = List.of();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!done.test(history) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            history = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> records.history(subject)));
        }
        return history;
    }

    @Test
    void aStopWordReplyRevokesMarketingOnceWithTheWamidAsEvidence() throws Throwable {
        String subject = subject();
        String other = subject();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            CloudEvent stop = reply(subject, "wamid.stop-" + subject, "  İptal! ");
            kafka.send(Topics.WA_INBOUND, subject, reply(subject, "wamid.q-" + subject, "iptal etmeyin lütfen"));
            kafka.send(Topics.WA_INBOUND, subject, stop);
            kafka.send(Topics.WA_INBOUND, subject, stop); // Meta's retry: no second entry
            kafka.send(Topics.WA_INBOUND, other, reply(other, "wamid.o-" + other, "Dur"));
        }
        awaitHistory(other, h -> !h.isEmpty());
        List<ConsentRecord> history = awaitHistory(subject, h -> !h.isEmpty());
        assertThat(history).singleElement().satisfies(r -> {
            assertThat(r.purpose).isEqualTo("marketing");
            assertThat(r.state).isEqualTo("revoked");
            assertThat(r.source).isEqualTo("whatsapp-stop-reply");
            byte[] key = VertxContextSupport.subscribeAndAwait(() -> vault.find(Set.of(subject))).get(subject);
            assertThat(FieldCipher.decrypt(key, subject, r.evidence)).isEqualTo("wamid:wamid.stop-" + subject);
        });
    }

    @Test
    void resumeGrantsAgainOnlyAfterAnExplicitGrant() throws Throwable {
        String withGrant = subject();
        String withoutGrant = subject();
        VertxContextSupport.subscribeAndAwait(() -> vault.getOrCreate(Set.of(withGrant)));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            ConsentRecord grant = new ConsentRecord();
            grant.subjectId = withGrant;
            grant.purpose = "marketing";
            grant.channel = "whatsapp";
            grant.state = "granted";
            grant.source = "web-form";
            grant.noticeId = "kvkk";
            grant.noticeVersion = "1";
            grant.noticeSha256 = "ab".repeat(32);
            grant.recordedBy = "test";
            grant.capturedAt = Instant.now();
            grant.recordedAt = Instant.now();
            return records.persist(grant);
        }));
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.WA_PREFERENCE, withGrant, preference(withGrant, "stop"));
            awaitHistory(withGrant, h -> h.size() == 2);
            kafka.send(Topics.WA_PREFERENCE, withGrant, preference(withGrant, "resume"));
            kafka.send(Topics.WA_PREFERENCE, withoutGrant, preference(withoutGrant, "stop"));
            kafka.send(Topics.WA_PREFERENCE, withoutGrant, preference(withoutGrant, "resume"));
        }
        assertThat(awaitHistory(withGrant, h -> h.size() == 3)).extracting(r -> r.state)
                .containsExactly("granted", "revoked", "granted");
        List<ConsentRecord> none = awaitHistory(withoutGrant, h -> !h.isEmpty());
        Thread.sleep(1000);
        none = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> records.history(withoutGrant)));
        assertThat(none).extracting(r -> r.state).containsExactly("revoked");
    }
}
