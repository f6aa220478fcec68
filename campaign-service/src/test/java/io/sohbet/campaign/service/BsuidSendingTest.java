package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sohbet.campaign.service.SendingTest.awaitStatus;
import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.rows;
import static io.sohbet.campaign.service.SendingTest.sentTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sending to people known only by a business-scoped user id (consent-service answers a BSUID and no phone): the
 * message goes to {@code recipient}, never to {@code to}; authentication templates, which Meta only sends to phone
 * numbers (131062), are not attempted for them, and a 131062 Meta answers anyway fails that recipient alone.
 */
@QuarkusTest
class BsuidSendingTest {

    @Inject
    Pool pool;

    static String bsuid() {
        return "TR." + Long.toUnsignedString(System.nanoTime()) + "1";
    }

    @Test
    void usernameOnlyRecipientsGetTheirMessageThroughRecipientAndA131062FailsOnlyThem() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("bsuid", 4, s);
        PeerStandIns.Contact phone = PeerStandIns.CONTACTS.get(s.get(0));
        PeerStandIns.CONTACTS.put(s.get(0), new PeerStandIns.Contact(phone.phone(), bsuid(), phone.name(), phone.firstName()));
        String only = bsuid();
        PeerStandIns.CONTACTS.put(s.get(1), new PeerStandIns.Contact(null, only, "Deniz", "Deniz"));
        String refused = bsuid();
        PeerStandIns.CONTACTS.put(s.get(2), new PeerStandIns.Contact(null, refused, "Ece", "Ece"));
        PeerStandIns.simulator.script(refused, new CloudApiSimulator.Reject(131062,
                "Business-scoped user ID recipients are not supported for authentication templates", null));
        PeerStandIns.CONTACTS.remove(s.get(3));

        String id = launch(CampaignResourceTest.draft(segment));
        Response done = awaitStatus(id, "completed", Duration.ofSeconds(60));
        assertThat(done.<Integer>path("progress.sent")).isEqualTo(2);
        assertThat(done.<Integer>path("progress.failed")).isEqualTo(1);
        assertThat(done.<Integer>path("progress.skipped-no-consent")).isEqualTo(1);

        List<CloudApiSimulator.Sent> sent = sentTo(s.subList(0, 3));
        CloudApiSimulator.Sent byPhone = sent.stream().filter(m -> m.to().equals(phone.phone().substring(1))).findFirst().orElseThrow();
        assertThat(byPhone.body().has("recipient")).as("a known phone wins over the BSUID").isFalse();
        CloudApiSimulator.Sent byBsuid = sent.stream().filter(m -> m.to().equals(only)).findFirst().orElseThrow();
        assertThat(byBsuid.body().path("recipient").asText()).isEqualTo(only);
        assertThat(byBsuid.body().has("to")).isFalse();
        assertThat(byBsuid.body().at("/template/components/0/parameters/0/text").asText()).isEqualTo("Deniz");
        assertThat(PeerStandIns.simulator.droppedBsuidsInTo()).isZero();

        var rows = rows(pool, id);
        assertThat(rows.get(s.get(2))).extracting(SendingTest.QueueRow::status, SendingTest.QueueRow::errorCode, SendingTest.QueueRow::attempts)
                .containsExactly("failed", 131062, 1);
        assertThat(rows.get(s.get(2)).errorTitle()).contains("phone number is needed");
        assertThat(rows.get(s.get(3)).errorTitle()).isEqualTo("no-contact");
    }

    @Test
    void aPersonWhoseNumberIsWithheldNowGetsMarketingByBsuidAndAnAuthenticationTemplateByPhone() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("bsuid-withheld", 2, s);
        PeerStandIns.Contact held = PeerStandIns.CONTACTS.get(s.get(0));
        String bsuid = bsuid();
        // consent-service: the number is held (consent and İYS checked with it) but the person's latest message came
        // without it, so the address is the BSUID
        PeerStandIns.CONTACTS.put(s.get(0), new PeerStandIns.Contact(held.phone(), bsuid, held.name(), held.firstName(), "bsuid"));
        String id = launch(CampaignResourceTest.draft(segment));
        assertThat(awaitStatus(id, "completed", Duration.ofSeconds(60)).<Integer>path("progress.sent")).isEqualTo(2);
        assertThat(PeerStandIns.simulator.sent().stream().filter(m -> m.to().equals(bsuid)).toList()).singleElement()
                .satisfies(m -> assertThat(m.body().path("recipient").asText()).isEqualTo(bsuid))
                .satisfies(m -> assertThat(m.body().has("to")).isFalse());
        assertThat(sentTo(List.of(s.get(0)))).as("nothing to the number held").isEmpty();
        assertThat(sentTo(List.of(s.get(1)))).singleElement().satisfies(m -> assertThat(m.body().has("recipient")).isFalse());

        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "template", "template",
                Map.of("name", PeerStandIns.AUTH_TEMPLATE, "language", "tr", "body", List.of("482913"))))));
        String auth = launch(d);
        Response done = awaitStatus(auth, "completed", Duration.ofSeconds(60));
        assertThat(done.<Integer>path("progress.sent")).as("the authentication template goes to the number held").isEqualTo(2);
        assertThat(PeerStandIns.simulator.sent().stream().filter(m -> m.to().equals(held.phone().substring(1)))
                .filter(m -> m.body().path("template").path("name").asText().equals(PeerStandIns.AUTH_TEMPLATE)).toList()).hasSize(1);
    }

    @Test
    void anAuthenticationTemplateIsNotAttemptedForARecipientWithoutAPhone() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("bsuid-auth", 2, s);
        String only = bsuid();
        PeerStandIns.CONTACTS.put(s.get(1), new PeerStandIns.Contact(null, only, "Deniz", "Deniz"));
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("variants", List.of(Map.of("id", "a", "message", Map.of("type", "template", "template",
                Map.of("name", PeerStandIns.AUTH_TEMPLATE, "language", "tr", "body", List.of("482913"))))));
        String id = launch(d);
        Response done = awaitStatus(id, "completed", Duration.ofSeconds(60));
        assertThat(done.<Integer>path("progress.sent")).isEqualTo(1);
        assertThat(done.<Integer>path("progress.failed")).isEqualTo(1);
        var rows = rows(pool, id);
        assertThat(rows.get(s.get(1))).extracting(SendingTest.QueueRow::status, SendingTest.QueueRow::errorCode)
                .containsExactly("failed", null);
        assertThat(rows.get(s.get(1)).errorTitle()).contains("authentication template").contains("not attempted");
        assertThat(sentTo(List.of(s.get(1)))).as("never sent: Meta would refuse it with 131062").isEmpty();
        assertThat(sentTo(List.of(s.get(0)))).hasSize(1);
    }
}
