package io.sohbet.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Holds a service's data inventory ({@code src/main/resources/db/data-inventory.json}, format in
 * {@code docs/data-inventory.md}) true to the schema its Flyway migrations build: every column that looks like subject
 * data ({@link #looksLikeSubjectData}) and every column of a table with a subject column must be declared, with a
 * VERBİS category, purpose, legal basis, retention, recipients and transfer abroad, or listed as non-personal; every
 * declared table and column must exist. The failure message names what to add, as JSON to paste.
 */
public final class DataInventory {

    /** The file, relative to a service module, that declares its personal and pseudonymous data. */
    public static final Path FILE = Path.of("src/main/resources/db/data-inventory.json");

    /** VERBİS's data categories (kişisel veri kategorileri) a column may be declared under. */
    public static final Set<String> CATEGORIES = Set.of("Kimlik", "İletişim", "Lokasyon", "Müşteri İşlem", "Pazarlama",
            "İşlem Güvenliği", "Hukuki İşlem", "Risk Yönetimi", "Finans", "Görsel ve İşitsel Kayıtlar", "Diğer");

    /** Fields every declared column must have, itself or inherited from its table. */
    public static final List<String> REQUIRED = List.of("category", "purpose", "legalBasis", "retention", "recipients",
            "transferAbroad");

    /**
     * Parts of a column name that say it may hold subject data: the subject's pseudonymous id, a phone, a name, an
     * e-mail, a message id, a business-scoped user id, a recipient (number or user id), any identifier, sealed or
     * encrypted payloads, evidence, what a person wrote, demographics, an outbox's event key and payload.
     */
    public static final List<String> SUBJECT_DATA_PATTERNS = List.of("subject", "phone", "msisdn", "name", "email",
            "mail", "wamid", "wa_id", "bsuid", "user_id", "recipient", "identifier", "sealed", "encrypted", "cipher",
            "evidence", "keyword", "text", "body", "address", "birth", "gender", "city", "event_key", "payload", "export");

    /** Tables no inventory describes: Flyway's own history. */
    private static final Set<String> IGNORED_TABLES = Set.of("flyway_schema_history");

    private static final ObjectMapper JSON = new ObjectMapper();

    private DataInventory() {
    }

    /** Whether a column's name looks like it holds subject data (one of {@link #SUBJECT_DATA_PATTERNS} in it). */
    public static boolean looksLikeSubjectData(String column) {
        String name = column.toLowerCase(Locale.ROOT);
        return SUBJECT_DATA_PATTERNS.stream().anyMatch(name::contains);
    }

    /** Whether a column names the subject (pseudonymous id, or an outbox's event key). */
    static boolean namesTheSubject(String column) {
        String name = column.toLowerCase(Locale.ROOT);
        return name.contains("subject") || name.equals("event_key");
    }

    /**
     * Fails with every problem when the inventory in {@code file} does not match the schema of the database at
     * {@code jdbcUrl} (migrated by the service's Flyway).
     */
    public static void assertMatches(String jdbcUrl, String user, String password, Path file) {
        List<String> problems = problems(schema(jdbcUrl, user, password), read(file));
        if (!problems.isEmpty()) {
            throw new AssertionError(file + " does not match the schema its migrations build:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /**
     * From a {@code @QuarkusTest}: fails when the service's inventory ({@link #FILE}) does not match the schema Flyway
     * migrated at start (read as Flyway's role, which sees every column; the runtime role may see fewer).
     */
    public static void assertMatchesTheMigratedSchema() {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String user = config.getOptionalValue("quarkus.flyway.username", String.class)
                .orElseGet(() -> config.getValue("quarkus.datasource.username", String.class));
        String password = config.getOptionalValue("quarkus.flyway.password", String.class)
                .orElseGet(() -> config.getValue("quarkus.datasource.password", String.class));
        assertMatches(config.getValue("quarkus.datasource.jdbc.url", String.class), user, password, FILE);
    }

    /** The inventory in {@code file}. */
    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data inventory " + file, e);
        }
    }

    /** The columns of each table of the connection's current schema. */
    public static Map<String, Set<String>> schema(String jdbcUrl, String user, String password) {
        Map<String, Set<String>> columns = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                ResultSet rows = connection.createStatement().executeQuery("SELECT table_name, column_name FROM "
                        + "information_schema.columns WHERE table_schema = current_schema()")) {
            while (rows.next()) {
                columns.computeIfAbsent(rows.getString(1), t -> new TreeSet<>()).add(rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema at " + jdbcUrl, e);
        }
        IGNORED_TABLES.forEach(columns::remove);
        return columns;
    }

    /** What is wrong with {@code inventory} given the schema's columns by table; empty when nothing is. */
    public static List<String> problems(Map<String, Set<String>> schema, JsonNode inventory) {
        List<String> problems = new ArrayList<>();
        if (!inventory.path("service").isTextual()) {
            problems.add("the inventory has no \"service\" name");
        }
        JsonNode tables = inventory.path("tables");
        if (!tables.isObject()) {
            problems.add("the inventory has no \"tables\" object");
            tables = JSON.createObjectNode();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            Set<String> present = schema.get(table.getKey());
            if (present == null) {
                problems.add("declared table " + table.getKey() + " does not exist: remove it from the inventory");
                continue;
            }
            declaredColumns(table.getValue()).forEach(column -> {
                if (!present.contains(column)) {
                    problems.add("declared column " + table.getKey() + "." + column + " does not exist: remove it "
                            + "from the inventory");
                }
            });
            table.getValue().path("columns").fields().forEachRemaining(column -> REQUIRED.forEach(field -> {
                JsonNode value = column.getValue().has(field) ? column.getValue().get(field) : table.getValue().get(field);
                if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                    problems.add("declared column " + table.getKey() + "." + column.getKey() + " has no \"" + field
                            + "\" (on the column or its table)");
                } else if (field.equals("category") && !CATEGORIES.contains(value.asText())) {
                    problems.add("declared column " + table.getKey() + "." + column.getKey() + " has category \""
                            + value.asText() + "\", not one of VERBİS's " + new TreeSet<>(CATEGORIES));
                } else if (field.equals("recipients") && !value.isArray()) {
                    problems.add("declared column " + table.getKey() + "." + column.getKey() + ": \"recipients\" is not a list");
                } else if (field.equals("transferAbroad") && !value.isBoolean()) {
                    problems.add("declared column " + table.getKey() + "." + column.getKey() + ": \"transferAbroad\" is not true or false");
                }
            }));
        }
        for (Map.Entry<String, Set<String>> table : schema.entrySet()) {
            JsonNode declared = tables.get(table.getKey());
            Set<String> known = declared == null ? Set.of() : declaredColumns(declared);
            boolean hasSubject = table.getValue().stream().anyMatch(DataInventory::namesTheSubject);
            List<String> missing = table.getValue().stream().filter(c -> !known.contains(c))
                    .filter(c -> hasSubject || looksLikeSubjectData(c)).toList();
            if (!missing.isEmpty()) {
                problems.add(missingMessage(table.getKey(), declared == null, hasSubject, missing));
            }
        }
        return problems;
    }

    private static Set<String> declaredColumns(JsonNode table) {
        Set<String> names = new TreeSet<>();
        table.path("columns").fieldNames().forEachRemaining(names::add);
        table.path("nonPersonal").forEach(column -> names.add(column.asText()));
        return names;
    }

    private static String missingMessage(String table, boolean tableMissing, boolean hasSubject, List<String> missing) {
        ObjectNode columns = JSON.createObjectNode();
        for (String column : missing) {
            ObjectNode entry = columns.putObject(column);
            entry.put("category", "<VERBİS category>");
            entry.put("description", "<what it holds>");
        }
        ArrayNode nonPersonal = JSON.createArrayNode();
        String categories = " (VERBİS categories: " + String.join(", ", new TreeSet<>(CATEGORIES)) + ")";
        String why = hasSubject ? "table " + table + " holds subject data (it has a subject column), so every column "
                + "must be declared" : "these columns look like subject data (" + String.join(", ", SUBJECT_DATA_PATTERNS) + ")";
        String json;
        if (tableMissing) {
            ObjectNode entry = JSON.createObjectNode();
            entry.put("purpose", "<processing purpose>");
            entry.put("legalBasis", "<KVKK m.5/m.6 reference>");
            entry.put("retention", "<how long, and what ends it>");
            entry.putArray("recipients");
            entry.put("transferAbroad", false);
            entry.set("columns", columns);
            entry.set("nonPersonal", nonPersonal);
            json = "\"" + table + "\": " + entry;
            return "table " + table + " is not declared but " + why + ": undeclared " + missing + "; add to \"tables\": "
                    + json + " (a column that holds no personal data goes into \"nonPersonal\" instead)" + categories;
        }
        json = columns.toString();
        return "columns " + missing + " of table " + table + " are not declared and " + why + ": add to tables."
                + table + ".columns: " + json.substring(1, json.length() - 1) + " or list them in tables." + table
                + ".nonPersonal";
    }
}
