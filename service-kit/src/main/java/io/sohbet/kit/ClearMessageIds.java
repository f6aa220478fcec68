package io.sohbet.kit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Rewrites the WhatsApp message ids a table stored in clear before they were hashed ({@link io.sohbet.events.MessageIds}):
 * for Flyway Java migrations, which run with the service's configuration and so with the message-id key (the
 * database does not have it). The rows are walked in the order of their primary key, a page at a time, and only
 * those whose values change are written; the rewrite is idempotent (hashed ids stay as they are), so a page read
 * twice changes nothing.
 */
public final class ClearMessageIds {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final int PAGE = 2000;

    private ClearMessageIds() {
    }

    /**
     * Rewrites {@code columns} (column → rewrite, e.g. {@code ids::of} or {@code ids::inEventId}) of every row of
     * {@code table}, paged by {@code key} (the primary key, SQL type {@code keyType}: text or bigint). The key may be
     * one of the rewritten columns. Returns the number of rows changed.
     */
    public static long rewrite(Connection connection, String table, String key, String keyType,
            Map<String, UnaryOperator<String>> columns) throws SQLException {
        check(table);
        check(key);
        if (!List.of("text", "bigint").contains(keyType)) {
            throw new IllegalArgumentException("key type text or bigint");
        }
        List<String> names = new ArrayList<>(columns.keySet());
        names.forEach(ClearMessageIds::check);
        // the first page, then each page after the last key read: a range scan of the primary key's index each time
        String columnList = "SELECT " + key + ", " + String.join(", ", names) + " FROM " + table;
        String first = columnList + " ORDER BY " + key + " LIMIT " + PAGE;
        String next = columnList + " WHERE " + key + " > ? ORDER BY " + key + " LIMIT " + PAGE;
        StringBuilder set = new StringBuilder();
        StringBuilder unnest = new StringBuilder("?::" + keyType + "[]");
        StringBuilder alias = new StringBuilder("k");
        for (int i = 0; i < names.size(); i++) {
            set.append(i == 0 ? "" : ", ").append(names.get(i)).append(" = m.c").append(i);
            unnest.append(", ?::text[]");
            alias.append(", c").append(i);
        }
        String update = "UPDATE " + table + " SET " + set + " FROM unnest(" + unnest + ") AS m(" + alias + ") WHERE "
                + table + "." + key + " = m.k";
        long changed = 0;
        Object after = null;
        try (PreparedStatement firstPage = connection.prepareStatement(first);
                PreparedStatement nextPage = connection.prepareStatement(next);
                PreparedStatement write = connection.prepareStatement(update)) {
            while (true) {
                PreparedStatement page = after == null ? firstPage : nextPage;
                if (after != null) {
                    page.setObject(1, after);
                }
                Map<Object, String[]> rewritten = new LinkedHashMap<>();
                int read = 0;
                try (ResultSet rows = page.executeQuery()) {
                    while (rows.next()) {
                        read++;
                        after = rows.getObject(1);
                        String[] values = new String[names.size()];
                        boolean differs = false;
                        for (int i = 0; i < names.size(); i++) {
                            String value = rows.getString(i + 2);
                            values[i] = columns.get(names.get(i)).apply(value);
                            differs |= !Objects.equals(value, values[i]);
                        }
                        if (differs) {
                            rewritten.put(after, values);
                        }
                    }
                }
                if (!rewritten.isEmpty()) {
                    write.setArray(1, connection.createArrayOf(keyType.equals("text") ? "text" : "bigint",
                            rewritten.keySet().toArray()));
                    for (int i = 0; i < names.size(); i++) {
                        int column = i;
                        Array values = connection.createArrayOf("text",
                                rewritten.values().stream().map(v -> v[column]).toArray());
                        write.setArray(i + 2, values);
                    }
                    changed += write.executeUpdate();
                }
                if (read < PAGE) {
                    return changed;
                }
            }
        }
    }

    private static void check(String identifier) {
        if (!IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + identifier);
        }
    }
}
