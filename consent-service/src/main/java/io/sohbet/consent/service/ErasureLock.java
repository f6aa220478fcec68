package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.repository.Database;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The lock that orders every write about one subject with that subject's erasure: the transaction-scoped advisory
 * lock {@code pg_advisory_xact_lock(hashtext('dsr:' || subject))}, taken by {@link DataSubjectRequests}, by
 * {@link KeyVault}'s timed {@code getOrCreate} and by every new consent entry ({@link ConsentLedger}, which orders one
 * subject's entries with it). A transaction that takes it first either commits before an erasure
 * (which then deletes what it wrote) or sees the erasure. Never call the timed {@code getOrCreate} while holding it:
 * that runs on another connection and would wait for this transaction.
 */
@ApplicationScoped
public class ErasureLock {

    /** The prefix of the lock key; the key is {@code hashtext(PREFIX || subject)}. */
    static final String PREFIX = "dsr:";

    private final Database database;
    private final KeyVault keys;

    public ErasureLock(Database database, KeyVault keys) {
        this.database = database;
        this.keys = keys;
    }

    /** Takes the subject's lock in the current transaction (again, if it holds it already); call inside one. */
    public Uni<Void> hold(String subject) {
        return database.inOpenTransaction("a subject's erasure lock", () -> database.count(
                "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext($1::text))) AS locked", PREFIX + subject))
                .replaceWithVoid();
    }

    /**
     * Takes the subject's lock, then asks {@link KeyVault#erasedSince} about an event that happened at
     * {@code happenedAt}: true means the event must write nothing. Asked under the lock, the answer holds until the
     * transaction ends. Call inside a transaction, before anything is written about the subject.
     */
    public Uni<Boolean> holdAndCheck(String subject, Instant happenedAt) {
        return hold(subject).chain(() -> keys.erasedSince(subject, happenedAt));
    }
}
