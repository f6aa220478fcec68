package io.sohbet.consent.repository;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.domain.ConsentRecord;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ConsentRecordRepositoryTest {

    @Inject
    Database database;

    @Inject
    ConsentRecordRepository records;

    @Test
    void historyIsKeptInOrderThroughTheReactiveClient() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> records.persist(record(subject, "granted", at))
                        .chain(() -> records.persist(record(subject, "revoked", at.plusSeconds(60))))));

        List<ConsentRecord> history = VertxContextSupport.subscribeAndAwait(
                () -> database.withConnection(() -> records.history(subject)));
        assertThat(history).extracting(r -> r.state).containsExactly("granted", "revoked");
        assertThat(history.get(0).capturedAt).isEqualTo(at);
    }

    @Test
    void anEntryIsCurrentUntilOneCapturedLaterOrAtTheSameInstantIsRecorded() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ConsentRecord first = VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> records.persist(record(subject, "granted", at))));
        assertThat(first.id).isNotNull();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> records.isCurrent(first))).isTrue();

        // an older capture recorded later is history: the first entry stays current
        ConsentRecord older = VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> records.persist(record(subject, "revoked", at.minusSeconds(60)))));
        assertThat(older.id).isGreaterThan(first.id);
        assertThat(VertxContextSupport.subscribeAndAwait(() -> records.isCurrent(first))).isTrue();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> records.isCurrent(older))).isFalse();

        // the same instant, recorded after it, wins the tie
        ConsentRecord tie = VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> records.persist(record(subject, "revoked", at))));
        assertThat(VertxContextSupport.subscribeAndAwait(() -> records.isCurrent(first))).isFalse();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> records.isCurrent(tie))).isTrue();

        // the same entry (the import's duplicate check), then the erasure of the subject's entries
        assertThat(VertxContextSupport.subscribeAndAwait(
                () -> records.countSame(subject, "marketing", "whatsapp", "revoked", at, "web-form"))).isOne();
        assertThat(VertxContextSupport.subscribeAndAwait(
                () -> database.inTransaction(() -> records.deleteBySubject(subject)))).isEqualTo(3L);
        assertThat(VertxContextSupport.subscribeAndAwait(
                () -> database.withConnection(() -> records.history(subject)))).isEmpty();
    }

    private static ConsentRecord record(String subject, String state, Instant at) {
        ConsentRecord record = new ConsentRecord();
        record.subjectId = subject;
        record.purpose = "marketing";
        record.channel = "whatsapp";
        record.state = state;
        record.source = "web-form";
        record.recordedBy = "test";
        record.capturedAt = at;
        record.recordedAt = at;
        return record;
    }
}
