package io.sohbet.campaign;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.campaign.service.ClaimAhead;
import io.sohbet.devstack.ChildProcess;
import io.sohbet.devstack.Ports;
import io.sohbet.devstack.TestTokens;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * At most one message per recipient, even when the sending process is killed with SIGKILL in the middle of a
 * campaign: the packaged campaign-service runs as a real process on the real PostgreSQL and Kafka, sends to the Cloud
 * API simulator, is killed, and is started again; the simulator then holds no recipient twice, and every recipient
 * is either sent or — the few whose request was in flight at the kill — unconfirmed and never retried.
 */
class AtMostOnceIT {

    static final int RECIPIENTS = 600;
    static ServiceProcesses processes;

    @BeforeAll
    static void infrastructure() {
        processes = new ServiceProcesses("campaign_kill");
    }

    @AfterAll
    static void stop() {
        processes.close();
    }

    @Test
    void aRecipientIsNeverMessagedTwiceAcrossAKill() throws Exception {
        int port = Ports.free();
        RestAssured.port = port;
        List<String> subjects = new ArrayList<>();
        String segment = PeerStandIns.audience("kill", RECIPIENTS, subjects);
        String token = TestTokens.person("sohbet-campaign", "mert", "marketer").sign();

        ChildProcess first = start(port, "first");
        String id = given().auth().oauth2(token).contentType("application/json").body(CampaignResourceTest.draft(segment))
                .when().post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token).contentType("application/json").body("{}").when().post("/api/campaigns/" + id + "/schedule")
                .then().statusCode(200);
        long deadline = System.currentTimeMillis() + 60_000;
        while (sentTo(subjects).size() < RECIPIENTS / 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        ProcessHandle.of(first.pid()).orElseThrow().onExit().get();
        int atKill = sentTo(subjects).size();
        assertThat(atKill).as("killed mid-campaign").isBetween(RECIPIENTS / 4, RECIPIENTS - 1);

        try (ChildProcess second = start(port, "second")) {
            Response done = null;
            deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline) {
                done = given().auth().oauth2(token).when().get("/api/campaigns/" + id);
                if ("completed".equals(done.path("status"))) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(done.<String>path("status")).as(done.asString()).isEqualTo("completed");
            List<CloudApiSimulator.Sent> sent = sentTo(subjects);
            Map<String, Long> perRecipient = sent.stream().collect(Collectors.groupingBy(CloudApiSimulator.Sent::to, Collectors.counting()));
            assertThat(perRecipient.values()).as("nobody messaged twice").allMatch(n -> n == 1);
            int confirmed = done.path("progress.sent");
            int unconfirmed = done.path("progress.unconfirmed");
            assertThat(confirmed + unconfirmed).isEqualTo(RECIPIENTS);
            // claimed ahead of their slots or accepted and not yet recorded (50 ms), at 100 messages/s: the horizon (0.5 s)
            // plus lead and span, 0.2 + 0.25 s on a quick machine, up to 2 s + 0.25 s together where preparing a batch is
            // slow (ClaimAhead; 208 seen at load average 38); a lost claim of everything due would be all of the rest
            double claimedAhead = 0.5 + ClaimAhead.MAX_LEAD.toMillis() / 1000.0 + 0.25 + 0.05;
            assertThat(unconfirmed).as("only what was claimed or in flight at the kill")
                    .isLessThanOrEqualTo((int) Math.ceil(claimedAhead * 100));
            assertThat(sent.size()).isBetween(confirmed, confirmed + unconfirmed);
            System.out.printf("[at-most-once] killed after %d messages; after the restart %d sent, %d unconfirmed (in flight at "
                    + "the kill, not resent), %d distinct recipients at the simulator%n", atKill, confirmed, unconfirmed, perRecipient.size());
        }
    }

    static List<CloudApiSimulator.Sent> sentTo(List<String> subjects) {
        Set<String> phones = subjects.stream().map(s -> PeerStandIns.CONTACTS.get(s).phone().substring(1)).collect(Collectors.toSet());
        return PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to())).toList();
    }

    static ChildProcess start(int port, String name) throws Exception {
        return processes.start(port, "at-most-once-" + name, Map.of("sohbet.campaign.whatsapp.messages-per-second", "100",
                "sohbet.campaign.sending.unconfirmed-after", "PT5S"));
    }
}
