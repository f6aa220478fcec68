package io.sohbet.kit.privacy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectDataCheckTest {

    static final Map<String, Set<String>> SCHEMA = Map.of(
            "profile", Set.of("subject_id", "first_seen_at"),
            "shop_order", Set.of("order_id", "subject_id", "total"),
            "processed_event", Set.of("event_id", "processed_at"),
            "outbox", Set.of("id", "event_key", "event"));

    static SubjectData declaring(SubjectTable... tables) {
        return SubjectData.of("test-service", tables);
    }

    @Test
    void aDeclarationOfEveryTableWithASubjectPasses() {
        assertThat(SubjectDataCheck.problems(SCHEMA, declaring(SubjectTable.deleted("profile"),
                SubjectTable.folded("shop_order", "order_id"), SubjectTable.deleted("outbox").withSubjectIn("event_key"))))
                .isEmpty();
    }

    @Test
    void anOutboxWhoseEventKeyIsNotDeclaredIsNamed() {
        assertThat(SubjectDataCheck.problems(SCHEMA, declaring(SubjectTable.deleted("profile"),
                SubjectTable.folded("shop_order", "order_id"))))
                .singleElement().asString().contains("table outbox has a event_key column but is not declared");
    }

    @Test
    void aTableNamingASubjectUnderAnotherColumnIsNamed() {
        Map<String, Set<String>> schema = Map.of("profile", Set.of("subject_id"),
                "audit", Set.of("id", "erased_subject"), "consent_log", Set.of("id", "SubjectRef"));
        assertThat(SubjectDataCheck.problems(schema, declaring(SubjectTable.deleted("profile"))))
                .containsExactlyInAnyOrder(
                        "table audit has a erased_subject column but is not declared: declare it (deleted or folded, with "
                                + "the column that names the subject and its linkable ids) so that erasure and export cover it",
                        "table consent_log has a SubjectRef column but is not declared: declare it (deleted or folded, with "
                                + "the column that names the subject and its linkable ids) so that erasure and export cover it");
    }

    @Test
    void columnsThatMayNameASubject() {
        assertThat(List.of("subject_id", "event_key", "subject", "erased_subject_id", "SUBJECT_ID"))
                .allMatch(SubjectDataCheck::mayNameASubject);
        assertThat(List.of("event_id", "id", "order_id", "event", "topic", "keyword_hash"))
                .noneMatch(SubjectDataCheck::mayNameASubject);
    }

    @Test
    void aTableWithASubjectIdColumnThatIsNotDeclaredIsNamed() {
        assertThat(SubjectDataCheck.problems(SCHEMA, declaring(SubjectTable.deleted("profile"),
                SubjectTable.deleted("outbox").withSubjectIn("event_key"))))
                .singleElement().asString().contains("table shop_order has a subject_id column but is not declared");
    }

    @Test
    void declaredTablesAndColumnsMustExist() {
        assertThat(SubjectDataCheck.problems(SCHEMA, declaring(SubjectTable.deleted("profile"),
                SubjectTable.deleted("shop_order", "order_ref"), SubjectTable.deleted("shop_orders"),
                new SubjectTable("outbox", "subject", List.of(), SubjectTable.Erasure.DELETE))))
                .containsExactlyInAnyOrder("declared column shop_order.order_ref does not exist",
                        "declared table shop_orders does not exist", "declared column outbox.subject does not exist");
    }

    @Test
    void aTableDeclaredTwiceIsNamed() {
        assertThat(SubjectDataCheck.problems(SCHEMA, declaring(SubjectTable.deleted("profile"),
                SubjectTable.deleted("shop_order"), SubjectTable.folded("profile"),
                SubjectTable.deleted("outbox").withSubjectIn("event_key"))))
                .containsExactly("table profile is declared twice");
    }

    @Test
    void namesAreQuotedAsIdentifiers() {
        assertThat(SubjectDataCheck.quoted("shop_order")).isEqualTo("\"shop_order\"");
        assertThat(SubjectDataCheck.quoted("a\"b")).isEqualTo("\"a\"\"b\"");
    }
}
