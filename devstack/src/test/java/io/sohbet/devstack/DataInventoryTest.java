package io.sohbet.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data-inventory checker on a real PostgreSQL: what passes, and each way a schema and its inventory disagree. */
class DataInventoryTest {

    static final String INVENTORY = """
            {"service": "demo-service", "tables": {"customer_note": {
              "purpose": "customer service", "legalBasis": "KVKK m.5/2-c", "retention": "1 year",
              "recipients": [], "transferAbroad": false,
              "columns": {"subject_id": {"category": "Kimlik"}, "note_text": {"category": "Müşteri İşlem"}},
              "nonPersonal": ["id", "written_at"]}}}
            """;

    @TempDir
    Path dir;

    @Test
    void aMigrationThatAddsAnUndeclaredPhoneColumnFailsAndTheMessageSaysWhatToAdd() throws Exception {
        Path inventory = Files.writeString(dir.resolve("data-inventory.json"), INVENTORY);
        try (Postgres postgres = Postgres.start(0, dir.resolve("data"), dir.resolve("postgres.log"))) {
            postgres.createDatabase("inventory");
            String url = postgres.jdbcUrl("inventory");
            migrate(postgres, url, "CREATE TABLE customer_note (id BIGSERIAL PRIMARY KEY, subject_id VARCHAR(64) NOT NULL, "
                    + "note_text TEXT, written_at TIMESTAMPTZ NOT NULL)",
                    "CREATE TABLE campaign_stat (campaign_id VARCHAR(64) PRIMARY KEY, sent BIGINT NOT NULL)");
            assertThatCode(() -> DataInventory.assertMatches(url, Postgres.USER, postgres.password(), inventory))
                    .doesNotThrowAnyException();

            // a later migration: a phone column in a table without a subject column, a new column beside a subject
            migrate(postgres, url, "ALTER TABLE campaign_stat ADD COLUMN test_phone VARCHAR(20)",
                    "ALTER TABLE customer_note ADD COLUMN channel VARCHAR(20)");
            assertThatThrownBy(() -> DataInventory.assertMatches(url, Postgres.USER, postgres.password(), inventory))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("table campaign_stat is not declared but these columns look like subject data")
                    .hasMessageContaining("undeclared [test_phone]; add to \"tables\": \"campaign_stat\": {")
                    .hasMessageContaining("columns [channel] of table customer_note are not declared and table "
                            + "customer_note holds subject data (it has a subject column)")
                    .hasMessageContaining("add to tables.customer_note.columns: \"channel\":{\"category\":\"<VERBİS category>\"")
                    .hasMessageContaining("VERBİS categories: Diğer, Finans");

            // a migration that drops a declared column
            migrate(postgres, url, "ALTER TABLE customer_note DROP COLUMN note_text", "DROP TABLE campaign_stat",
                    "ALTER TABLE customer_note DROP COLUMN channel");
            assertThatThrownBy(() -> DataInventory.assertMatches(url, Postgres.USER, postgres.password(), inventory))
                    .hasMessageContaining("declared column customer_note.note_text does not exist: remove it from the inventory");
        }
    }

    @Test
    void everyDeclaredColumnHasAVerbisCategoryAndTheOtherFields() throws Exception {
        var schema = java.util.Map.of("customer_note", java.util.Set.of("id", "subject_id", "note_text", "written_at"));
        var json = new ObjectMapper();
        assertThat(DataInventory.problems(schema, json.readTree(INVENTORY))).isEmpty();
        assertThat(DataInventory.problems(schema, json.readTree(INVENTORY.replace("\"Müşteri İşlem\"", "\"notes\"")
                .replace("\"retention\": \"1 year\",", "").replace("\"transferAbroad\": false", "\"transferAbroad\": \"no\""))))
                .containsExactlyInAnyOrder(
                        "declared column customer_note.subject_id has no \"retention\" (on the column or its table)",
                        "declared column customer_note.note_text has no \"retention\" (on the column or its table)",
                        "declared column customer_note.note_text has category \"notes\", not one of VERBİS's "
                                + new java.util.TreeSet<>(DataInventory.CATEGORIES),
                        "declared column customer_note.subject_id: \"transferAbroad\" is not true or false",
                        "declared column customer_note.note_text: \"transferAbroad\" is not true or false");
        assertThat(DataInventory.problems(java.util.Map.of(), json.readTree(INVENTORY)))
                .containsExactly("declared table customer_note does not exist: remove it from the inventory");
    }

    @Test
    void columnNamesThatLookLikeSubjectData() {
        assertThat(java.util.List.of("subject_id", "phone_e164", "first_name", "email", "wamid", "context_wamid", "bsuid",
                "identifier_value", "sealed_payload", "encrypted_name", "evidence", "event_key",
                // a sealed number (iys_erasure_ret.recipient) and a business-scoped user id by another name
                "recipient", "recipient_user_id", "user_id"))
                .allMatch(DataInventory::looksLikeSubjectData);
        assertThat(java.util.List.of("id", "campaign_id", "sent_at", "status", "total", "currency"))
                .noneMatch(DataInventory::looksLikeSubjectData);
    }

    private static void migrate(Postgres postgres, String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url, Postgres.USER, postgres.password()); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
