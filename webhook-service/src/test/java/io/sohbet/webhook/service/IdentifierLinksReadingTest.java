package io.sohbet.webhook.service;

import io.sohbet.events.MessageIds;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaContact;
import io.sohbet.webhook.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How the reader resolves people named by several identifiers, without a service (links learnt or given). */
class IdentifierLinksReadingTest {

    static final SubjectIds IDS = new SubjectIds("unit-test-pepper-0123456789".getBytes(StandardCharsets.UTF_8));
    static final Instant NOW = Instant.parse("2025-11-30T10:00:00Z");
    static final String PHONE_SUBJECT = IDS.fromWhatsAppId("905321110001");
    static final String BSUID = "TR.2000000000000000001";

    final SubjectResolver subjects = new SubjectResolver(IDS);
    final WhatsAppWebhookReader reader = new WhatsAppWebhookReader(subjects, MessageIds.withKey("unit-test-message-id-key-0123"));

    List<EventDraft> read(String name) {
        return reader.read(WebhookJson.parse(Fixtures.own(name)), NOW);
    }

    Set<String> lookUps(String name) {
        return reader.identifiersToLookUp(WebhookJson.parse(Fixtures.own(name)));
    }

    @Test
    void aBsuidOrUsernameSeenWithANumberResolvesToTheNumbersSubjectLater() {
        assertThat(read("contact_phone_and_bsuid.json")).filteredOn(d -> d.subject() != null)
                .allSatisfy(d -> assertThat(d.subject()).isEqualTo(PHONE_SUBJECT));
        for (String later : List.of("message_bsuid_only.json", "message_username_only.json", "status_bsuid_only.json")) {
            assertThat(read(later)).as(later).isNotEmpty().allSatisfy(d -> assertThat(d.subject()).isEqualTo(PHONE_SUBJECT));
        }
    }

    @Test
    void withoutALinkABsuidOnlyStatusIsDerivedFromTheBsuidAndALinkFromConsentServiceWins() {
        assertThat(read("status_bsuid_only.json").get(0).subject()).isEqualTo(IDS.fromBusinessScopedUserId(BSUID));
        Set<String> asked = lookUps("status_bsuid_only.json");
        assertThat(asked).containsExactly(IDS.fromBusinessScopedUserId(BSUID));
        subjects.learn(asked, Map.of(IDS.fromBusinessScopedUserId(BSUID), "linked-subject-0123456789"));
        assertThat(read("status_bsuid_only.json").get(0).subject()).isEqualTo("linked-subject-0123456789");
    }

    @Test
    void statusesWithOnlyANumberAskNothingMessagesAndContactsAskForEveryIdentifier() {
        assertThat(lookUps("all_statuses.json")).containsExactly(IDS.fromBusinessScopedUserId("TR.1234567890"));
        assertThat(lookUps("contact_phone_and_bsuid.json")).containsExactlyInAnyOrder(PHONE_SUBJECT,
                IDS.fromBusinessScopedUserId(BSUID), IDS.fromUsername("ece.arslan"),
                IDS.fromParentBusinessScopedUserId("TR.ENT.3000000000000000001"));
    }

    @Test
    void numberAndUserIdChangesGoOutAsContactsOfTheSameSubjectAndLinkTheNewIdentifier() {
        List<EventDraft> drafts = read("system_user_changed_number.json");
        assertThat(drafts).filteredOn(d -> d.topic().equals(Topics.WA_CONTACT)).singleElement()
                .satisfies(d -> assertThat(d.subject()).isEqualTo(PHONE_SUBJECT));
        assertThat(subjects.resolve("905329990002", null).subjectId()).isEqualTo(PHONE_SUBJECT);

        assertThat(read("system_user_changed_user_id.json")).filteredOn(d -> d.topic().equals(Topics.WA_CONTACT)).hasSize(2)
                .allSatisfy(d -> assertThat(d.subject()).isEqualTo(PHONE_SUBJECT));
        assertThat(subjects.resolve(null, "TR.2000000000000000009").subjectId()).isEqualTo(PHONE_SUBJECT);
    }

    @Test
    void aStatusWithANumberAndABsuidLinksThemOnce() {
        assertThat(read("status_phone_and_bsuid.json")).extracting(EventDraft::topic)
                .containsExactly(Topics.WA_CONTACT, Topics.WA_STATUS);
        assertThat(read("status_phone_and_bsuid.json")).extracting(EventDraft::topic).containsExactly(Topics.WA_STATUS);
        assertThat(WaContact.CHANGED_NUMBER).isEqualTo("user_changed_number");
    }
}
