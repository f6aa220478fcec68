package io.sohbet.kit.privacy;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps a service's {@link SubjectData} true to its schema: at startup (after Flyway migrated it, so in every
 * {@code @QuarkusTest} too) the service fails to start while a table of its schema with a column that may name a
 * subject ({@link #mayNameASubject}: {@code subject_id}, any other column with "subject" in its name, or
 * {@code event_key}, the subject of a transactional outbox's events) is not declared, or a declared table or column
 * does not exist. A table added later cannot be forgotten by erasure and export.
 */
@ApplicationScoped
@IfBuildProperty(name = ErasureParticipant.ENABLED, stringValue = "true")
public class SubjectDataCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The column of a transactional outbox ({@code io.sohbet.kit.OutboxDrain}) that holds its events' Kafka keys. */
    static final String EVENT_KEY = "event_key";

    private final SubjectData declared;
    private final Instance<Pool> database;

    public SubjectDataCheck(SubjectData declared, Instance<Pool> database) {
        this.declared = declared;
        this.database = database;
    }

    void onStart(@Observes StartupEvent started) {
        if (declared.tables().isEmpty()) {
            return;
        }
        Map<String, Set<String>> columns = new TreeMap<>();
        for (Row row : database.get().query("SELECT CAST(table_name AS text) AS t, CAST(column_name AS text) AS c "
                + "FROM information_schema.columns WHERE table_schema = current_schema()").execute().await().atMost(TIMEOUT)) {
            columns.computeIfAbsent(row.getString("t"), table -> new TreeSet<>()).add(row.getString("c"));
        }
        List<String> problems = problems(columns, declared);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(declared.service() + ": the SubjectData it declares does not match its schema: "
                    + String.join("; ", problems));
        }
    }

    /** What is wrong with {@code declared}, given the schema's columns by table; empty when nothing is. */
    static List<String> problems(Map<String, Set<String>> columns, SubjectData declared) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (SubjectTable table : declared.tables()) {
            if (!names.add(table.name())) {
                problems.add("table " + table.name() + " is declared twice");
            }
            Set<String> present = columns.get(table.name());
            if (present == null) {
                problems.add("declared table " + table.name() + " does not exist");
                continue;
            }
            List<String> named = new ArrayList<>(table.linkableIds());
            named.add(0, table.subjectColumn());
            named.stream().filter(column -> !present.contains(column))
                    .forEach(column -> problems.add("declared column " + table.name() + "." + column + " does not exist"));
        }
        columns.forEach((table, present) -> {
            if (!names.contains(table)) {
                present.stream().filter(SubjectDataCheck::mayNameASubject).findFirst().ifPresent(column -> problems.add(
                        "table " + table + " has a " + column + " column but is not declared: declare it (deleted or "
                                + "folded, with the column that names the subject and its linkable ids) so that erasure and "
                                + "export cover it"));
            }
        });
        return problems;
    }

    /**
     * Whether a column's name says it may hold a subject id: {@code subject_id} or any column with "subject" in its
     * name, and {@code event_key}, which a transactional outbox keys its events by (by the subject, for events about one).
     */
    static boolean mayNameASubject(String column) {
        String name = column.toLowerCase(java.util.Locale.ROOT);
        return name.contains("subject") || name.equals(EVENT_KEY);
    }

    /** A table or column name as an SQL identifier. */
    static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
