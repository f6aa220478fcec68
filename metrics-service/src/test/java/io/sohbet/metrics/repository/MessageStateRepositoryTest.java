package io.sohbet.metrics.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.metrics.domain.MessageState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
public class MessageStateRepositoryTest {

    @Inject
    MessageStateRepository rows;

    /** A row of {@code subject}, not yet persisted. */
    public static MessageState row(String subject) {
        MessageState row = new MessageState();
        row.wamid = "wamid." + UUID.randomUUID();
        row.subjectId = subject;
        row.sentAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return row;
    }

    @Test
    void writesAndReadsThroughHibernateReactive() throws Throwable {
        MessageState row = row("subject-" + UUID.randomUUID());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> rows.persist(row)));

        MessageState read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> rows.findById(row.wamid)));
        assertThat(read.subjectId).isEqualTo(row.subjectId);
        assertThat(read.sentAt).isEqualTo(row.sentAt);
    }

    /** Persists a row of {@code subject} in its own transaction. */
    public static void persist(MessageStateRepository rows, MessageState row) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> rows.persist(row)));
    }
}
