package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
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
