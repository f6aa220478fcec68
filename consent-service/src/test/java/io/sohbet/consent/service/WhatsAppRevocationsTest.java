package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import static io.sohbet.consent.Fixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class WhatsAppRevocationsTest {

    @Inject
    WhatsAppRevocations revocations;

    @Inject
    KeyVault keys;

    @Inject
    DataSubjectRequests requests;

    @Inject
    Pool pool;

    @Inject
    ConsentLedger ledger;

    static final Instant T0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    static String subject() {
        return UUID.randomUUID().toString().replace("-", "") + "resume";
    }

    void grant(String subject, Instant at) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> ledger.record(subject, new io.sohbet.consent.rest.ConsentRequest(null,
                "marketing", "whatsapp", "granted", "web-form", new io.sohbet.consent.rest.ConsentRequest.Notice("kvkk", "2026-01",
                "ab".repeat(32)), at, null), "test"));
    }

    void revokeByAdmin(String subject, Instant at) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> ledger.record(subject, new io.sohbet.consent.rest.ConsentRequest(null,
                "marketing", "whatsapp", "revoked", "admin", null, at, null), "test"));
    }

    boolean preference(String subject, String value, Instant at) throws Throwable {
        return VertxContextSupport.<Boolean>subscribeAndAwait(() -> revocations.onPreference(
                "wa.preference:" + subject + ":marketing_messages:" + value + ":" + at.getEpochSecond(), subject, value, at));
    }

    io.sohbet.consent.domain.ConsentRecord current(String subject) throws Throwable {
        return ConsentLedger.current(VertxContextSupport.subscribeAndAwait(() -> ledger.history(subject))).stream()
                .filter(r -> r.purpose.equals("marketing")).findFirst().orElseThrow();
    }

    @Test
    void resumeRestoresMarketingAfterAnExplicitGrantThatPrecededTheStop() throws Throwable {
        String subject = subject();
        grant(subject, T0);
        assertThat(preference(subject, "stop", T0.plusSeconds(60))).isTrue();
        assertThat(current(subject).state).isEqualTo("revoked");
        assertThat(preference(subject, "resume", T0.plusSeconds(120))).isTrue();
        io.sohbet.consent.domain.ConsentRecord now = current(subject);
        assertThat(now.state).isEqualTo("granted");
        assertThat(now.source).isEqualTo("whatsapp-preference");
        assertThat(now.noticeId).as("the notice of the grant it restores").isEqualTo("kvkk");
    }

    @Test
    void resumeWithoutAGrantBeforeTheStopGrantsNothing() throws Throwable {
        String never = subject();
        assertThat(preference(never, "stop", T0)).isTrue();
        assertThat(preference(never, "resume", T0.plusSeconds(60))).isFalse();
        assertThat(current(never).state).isEqualTo("revoked");
        assertThat(count(pool, "SELECT count(*) FROM audit_entry WHERE subject_id = $1 AND action = 'consent.resume-without-grant'",
                never)).isEqualTo(1);

        // the grant was withdrawn by other means before Meta's stop: a resume does not bring it back
        String revokedBefore = subject();
        grant(revokedBefore, T0);
        revokeByAdmin(revokedBefore, T0.plusSeconds(30));
        assertThat(preference(revokedBefore, "stop", T0.plusSeconds(60))).isTrue();
        assertThat(preference(revokedBefore, "resume", T0.plusSeconds(120))).isFalse();
        assertThat(current(revokedBefore).state).isEqualTo("revoked");
    }

    @Test
    void aGrantRecordedAfterTheStopButCapturedBeforeItIsWhatTheStopEnded() throws Throwable {
        String subject = subject();
        assertThat(preference(subject, "stop", T0.plusSeconds(60))).isTrue();
        grant(subject, T0); // imported late: history, the stop stays current
        assertThat(current(subject).state).isEqualTo("revoked");
        assertThat(preference(subject, "resume", T0.plusSeconds(120))).isTrue();
        assertThat(current(subject).state).isEqualTo("granted");
    }

    @Test
    void aStopDatedInTheFutureCountsAsNowAndDoesNotOutrankLaterChoices() throws Throwable {
        String subject = subject();
        Instant before = Instant.now();
        assertThat(preference(subject, "stop", Instant.now().plus(365, ChronoUnit.DAYS))).isTrue();
        assertThat(current(subject).capturedAt).isBetween(before.minusSeconds(1), Instant.now());
        grant(subject, null);
        assertThat(current(subject).state).isEqualTo("granted");
    }

    @Test
    void aStopFromBeforeAnErasureThatCommittedAfterTheListenersCheckRecordsNothing() throws Throwable {
        String subject = UUID.randomUUID().toString().replace("-", "") + "stop";
        VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject)));
        Instant stoppedAt = Instant.now();
        // the listener checked the subject (not erased); the erasure commits before the STOP is recorded
        VertxContextSupport.subscribeAndAwait(() -> requests.submit(DataSubjectRequests.ERASURE, subject, null, "test"));

        assertThat(VertxContextSupport.<Boolean>subscribeAndAwait(() -> revocations.onPreference(
                "wa.preference:" + subject + ":marketing_messages:stop:1", subject, "stop", stoppedAt))).isFalse();
        assertThat(count(pool, "SELECT count(*) FROM subject_key WHERE subject_id = $1", subject)).isZero();
        assertThat(count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1", subject)).isZero();
        assertThat(count(pool, "SELECT count(*) FROM processed_event WHERE position($1 in event_id) > 0", subject))
                .as("a dedupe record naming the erased person").isZero();
    }

    @Test
    void anErasureDeletesTheDedupeRecordsThatNameThePerson() throws Throwable {
        String subject = UUID.randomUUID().toString().replace("-", "") + "gone";
        String other = UUID.randomUUID().toString().replace("-", "") + "stay";
        VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject)));
        for (String who : new String[] {subject, other}) {
            assertThat(VertxContextSupport.<Boolean>subscribeAndAwait(() -> revocations.onPreference(
                    "wa.preference:" + who + ":marketing_messages:stop:1", who, "stop", Instant.now()))).isTrue();
        }
        VertxContextSupport.subscribeAndAwait(() -> requests.submit(DataSubjectRequests.ERASURE, subject, null, "test"));
        assertThat(count(pool, "SELECT count(*) FROM processed_event WHERE position($1 in event_id) > 0", subject)).isZero();
        assertThat(count(pool, "SELECT count(*) FROM processed_event WHERE position($1 in event_id) > 0", other)).isEqualTo(1);
    }

    @Test
    void aStopOfAPersonNeverErasedIsRecorded() throws Throwable {
        String subject = UUID.randomUUID().toString().replace("-", "") + "stop";
        assertThat(VertxContextSupport.<Boolean>subscribeAndAwait(() -> revocations.onPreference(
                "wa.preference:" + subject, subject, "stop", Instant.now()))).isTrue();
        assertThat(count(pool, "SELECT count(*) FROM consent_record WHERE subject_id = $1 AND state = 'revoked'", subject))
                .isEqualTo(1);
    }
}
