package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
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

    @Inject
    Database database;

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

    /** A tapped template quick-reply button ({@code button}) or reply button / list row ({@code interactive}). */
    static CloudEvent tap(String subject, String wamid, String type, String interactiveType, String id, String title) {
        WaInbound message = new WaInbound(wamid, "pn", Instant.now(), type, type, interactiveType, null, null, null, null, id,
                title, null, null, "mid_campaign", false, null, null, null, null, List.of());
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
            history = VertxContextSupport.subscribeAndAwait(() ->
                    database.withConnection(() -> records.history(subject)));
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
    void aStopButtonAndAStopListRowRevokeMarketingOnceWithTheSignalAsEvidence() throws Throwable {
        String button = subject();
        String list = subject();
        String other = subject();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            CloudEvent stop = tap(button, "mid_button-" + button, "button", null, "STOP", "Durdur");
            kafka.send(Topics.WA_INBOUND, button, stop);
            kafka.send(Topics.WA_INBOUND, button, stop); // Meta's retry: no second entry
            kafka.send(Topics.WA_INBOUND, list, tap(list, "mid_list-" + list, "interactive", "list_reply", "row-3", "Abonelikten çık"));
            // taps that are no stop, then a typed stop: once it is recorded, the taps before it were handled
            kafka.send(Topics.WA_INBOUND, other, tap(other, "mid_csat-" + other, "interactive", "button_reply", "csat_5", "5 ⭐"));
            kafka.send(Topics.WA_INBOUND, other, tap(other, "mid_cancel-" + other, "interactive", "button_reply", "cancel_order", "İptal"));
            kafka.send(Topics.WA_INBOUND, other, tap(other, "mid_more-" + other, "button", null, "more-aloes", "Daha fazla göster"));
            kafka.send(Topics.WA_INBOUND, other, reply(other, "mid_dur-" + other, "Dur"));
        }
        assertThat(awaitHistory(other, h -> !h.isEmpty())).extracting(r -> r.source).containsExactly("whatsapp-stop-reply");
        assertThat(awaitHistory(list, h -> !h.isEmpty())).singleElement().satisfies(r -> {
            assertThat(r.state).isEqualTo("revoked");
            assertThat(r.source).isEqualTo("whatsapp-list-reply");
            assertThat(evidence(list, r)).isEqualTo("wamid:mid_list-" + list + " list_reply.title=Abonelikten çık");
        });
        List<ConsentRecord> history = awaitHistory(button, h -> !h.isEmpty());
        Thread.sleep(1000); // the retry came right after the first
        history = VertxContextSupport.subscribeAndAwait(() -> database.withConnection(() -> records.history(button)));
        assertThat(history).singleElement().satisfies(r -> {
            assertThat(r.purpose).isEqualTo("marketing");
            assertThat(r.channel).isEqualTo("whatsapp");
            assertThat(r.state).isEqualTo("revoked");
            assertThat(r.source).isEqualTo("whatsapp-button");
            assertThat(evidence(button, r)).isEqualTo("wamid:mid_button-" + button + " button.payload=STOP");
        });
    }

    String evidence(String subject, ConsentRecord record) throws Throwable {
        byte[] key = VertxContextSupport.subscribeAndAwait(() -> vault.find(Set.of(subject))).get(subject);
        return FieldCipher.decrypt(key, subject, record.evidence);
    }

    @Test
    void resumeGrantsAgainOnlyAfterAnExplicitGrant() throws Throwable {
        String withGrant = subject();
        String withoutGrant = subject();
        VertxContextSupport.subscribeAndAwait(() -> vault.getOrCreate(Set.of(withGrant)));
        VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(() -> {
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
        none = VertxContextSupport.subscribeAndAwait(() ->
                database.withConnection(() -> records.history(withoutGrant)));
        assertThat(none).extracting(r -> r.state).containsExactly("revoked");
    }
}
