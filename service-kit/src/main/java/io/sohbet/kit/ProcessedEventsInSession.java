package io.sohbet.kit;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link ProcessedEvents} for a consumer whose effect is written through Hibernate Reactive: the same insert, as a
 * native query in the caller's session and transaction (e.g. inside {@code Panache.withTransaction}). A class of its
 * own so that services without Hibernate Reactive never load it.
 */
public final class ProcessedEventsInSession {

    private ProcessedEventsInSession() {
    }

    /** Records {@code eventId} in {@code session}'s transaction; true unless it was recorded before. */
    public static Uni<Boolean> firstTime(Mutiny.Session session, String eventId) {
        return session.createNativeQuery(ProcessedEvents.RECORD.replace("$1", "?1")).setParameter(1, eventId)
                .executeUpdate().map(inserted -> inserted == 1);
    }
}
