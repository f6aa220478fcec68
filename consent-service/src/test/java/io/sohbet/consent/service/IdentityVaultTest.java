package io.sohbet.consent.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static io.sohbet.consent.Fixtures.IDS;
import static io.sohbet.consent.Fixtures.count;
import static io.sohbet.consent.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class IdentityVaultTest {

    @Inject
    IdentityVault vault;

    @Inject
    KeyVault keys;

    @Inject
    DataSubjectRequests requests;

    @Inject
    Pool pool;

    @Inject
    Database database;

    boolean sighting(String subject, IdentityVault.Contact contact, Instant seenAt) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> database.inTransaction(
                () -> vault.rememberSighting(subject, contact, "whatsapp", seenAt)));
    }

    long rows(String table, String subject) throws Throwable {
        return count(pool, "SELECT count(*) FROM " + table + " WHERE subject_id = $1", subject);
    }

    @Test
    void aSightingFromBeforeAnErasureThatCommittedAfterTheListenersCheckWritesNothing() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        // the listener saw the key and checked the subject (not erased) for a sighting made then ...
        VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject)));
        Instant seen = Instant.now();
        // ... then the erasure commits before the listener writes
        VertxContextSupport.subscribeAndAwait(() -> requests.submit(DataSubjectRequests.ERASURE, subject, null, "test"));
        IdentityVault.Contact contact = new IdentityVault.Contact(phone, "Late Name", null);

        assertThat(sighting(subject, contact, seen)).isFalse();
        assertThat(rows("subject_key", subject)).as("no key for the erased person").isZero();
        assertThat(rows("identity", subject)).as("no vault entry for the erased person").isZero();

        // the person comes back (a new message makes a key): a sighting made since is written, an old one still not
        Instant back = Instant.now().plusSeconds(1);
        VertxContextSupport.subscribeAndAwait(() -> keys.getOrCreate(Set.of(subject), Map.of(subject, back)));
        assertThat(sighting(subject, contact, seen)).isFalse();
        assertThat(rows("identity", subject)).isZero();
        assertThat(sighting(subject, new IdentityVault.Contact(phone, "New Name", null), back)).isTrue();
        assertThat(VertxContextSupport.subscribeAndAwait(() -> vault.open(Set.of(subject))).get(subject).name())
                .isEqualTo("New Name");
    }

    @Test
    void aSightingOfASubjectWithoutAKeyCreatesNone() throws Throwable {
        String phone = IDS.normalise(phone());
        String subject = IDS.fromPhone(phone);
        assertThat(sighting(subject, new IdentityVault.Contact(phone, "Nobody", null), Instant.now())).isFalse();
        assertThat(rows("subject_key", subject)).isZero();
        assertThat(rows("identity", subject)).isZero();
    }
}
