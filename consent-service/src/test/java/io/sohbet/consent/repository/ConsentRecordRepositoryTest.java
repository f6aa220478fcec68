package io.sohbet.consent.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
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
    ConsentRecordRepository records;

    @Test
    void historyIsKeptInOrderThroughHibernateReactive() throws Throwable {
        String subject = "subject-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> records.persist(record(subject, "granted", at))
                .chain(() -> records.persist(record(subject, "revoked", at.plusSeconds(60))))));

        List<ConsentRecord> history = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> records.history(subject)));
        assertThat(history).extracting(r -> r.state).containsExactly("granted", "revoked");
        assertThat(history.get(0).capturedAt).isEqualTo(at);
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
