package io.sohbet.kit.privacy;

import java.util.List;

/**
 * One table of a service's database that holds rows about a subject: the column that names the subject, the columns
 * that hold ids another system could link back to the person (order ids, message-id hashes, event ids), and what an
 * erasure does with its rows.
 */
public record SubjectTable(String name, String subjectColumn, List<String> linkableIds, Erasure erasure) {

    /** What an erasure does with a table's rows about the subject. */
    public enum Erasure {
        /** The kit deletes them, after the service's fold step. */
        DELETE,
        /** The service's {@link SubjectData#fold} step takes care of them; the kit leaves them alone. */
        FOLD
    }

    /** The column that names the subject in every table unless declared otherwise. */
    public static final String SUBJECT_ID = "subject_id";

    public SubjectTable {
        linkableIds = List.copyOf(linkableIds);
    }

    /** A table whose rows about the subject (by {@code subject_id}) an erasure deletes. */
    public static SubjectTable deleted(String name, String... linkableIds) {
        return new SubjectTable(name, SUBJECT_ID, List.of(linkableIds), Erasure.DELETE);
    }

    /**
     * The same table with the subject named in {@code column} instead of {@code subject_id}, e.g. the key of a
     * transactional outbox's events ({@code event_key}).
     */
    public SubjectTable withSubjectIn(String column) {
        return new SubjectTable(name, column, linkableIds, erasure);
    }

    /** A table whose rows about the subject (by {@code subject_id}) the service's fold step takes care of. */
    public static SubjectTable folded(String name, String... linkableIds) {
        return new SubjectTable(name, SUBJECT_ID, List.of(linkableIds), Erasure.FOLD);
    }
}
