package io.sohbet.kit.privacy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * A service's declaration of what its database holds on subjects, produced as a CDI bean by every privacy
 * participant ({@code sohbet.privacy.participant=true}): the kit's {@link ErasureParticipant} erases from it, the
 * kit's {@link SubjectExportResource} exports from it, and {@link SubjectDataCheck} makes the service fail to start
 * while a table of its schema with a column that may name a subject ({@code subject_id}, {@code *subject*},
 * {@code event_key}) is not declared.
 *
 * @param service    the name the service signs its erasure acknowledgements and exports with, e.g. {@code metrics-service}
 * @param tables     every table that holds rows about a subject; empty for a service that keeps none
 * @param cachesKeys whether the service caches subjects' data keys ({@code io.sohbet.kit.keys.SubjectKeys}): then an
 *                   erasure first drops this replica's copy and waits until no replica can hold one
 *                   ({@code ErasureAcknowledgement})
 * @param fold       the service's own erasure step, for the tables declared {@link SubjectTable.Erasure#FOLD}
 */
public record SubjectData(String service, List<SubjectTable> tables, boolean cachesKeys, Fold fold) {

    /**
     * A service's own erasure step: runs in the erasure's transaction before the declared deletes, once per request
     * (a redelivered request is recorded as processed and skips it); the number of rows it changed.
     */
    @FunctionalInterface
    public interface Fold {
        Uni<Long> fold(SqlConnection tx, String subject);
    }

    /** No fold step: every declared table is deleted from. */
    public static final Fold NOTHING = (tx, subject) -> Uni.createFrom().item(0L);

    public SubjectData {
        tables = List.copyOf(tables);
    }

    /** A service that caches no data keys and has no fold step. */
    public static SubjectData of(String service, SubjectTable... tables) {
        return new SubjectData(service, List.of(tables), false, NOTHING);
    }

    /** The same declaration, for a service that caches subjects' data keys. */
    public SubjectData cachingKeys() {
        return new SubjectData(service, tables, true, fold);
    }

    /** The same declaration with {@code step} as the fold step. */
    public SubjectData foldedBy(Fold step) {
        return new SubjectData(service, tables, cachesKeys, step);
    }
}
