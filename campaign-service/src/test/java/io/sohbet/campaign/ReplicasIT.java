package io.sohbet.campaign;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.sohbet.campaign.rest.CampaignResourceTest;
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
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged service on one database: they share the campaign (each recipient once) and the phone
 * number's rate (together never over it, the simulator enforcing Meta's 130429), and the messaging tier limit holds
 * across them.
 */
class ReplicasIT {

    static final int RATE = 40;
    static ServiceProcesses processes;
    static final List<ChildProcess> REPLICAS = new ArrayList<>();
    static int port;
    static final List<Integer> MANAGEMENT = new ArrayList<>();

    @BeforeAll
    static void twoReplicas() throws Exception {
        System.setProperty("benchmark.simulator.mps", String.valueOf(RATE)); // the simulator enforces our rate
        processes = new ServiceProcesses("campaign_replicas");
        System.clearProperty("benchmark.simulator.mps");
        Map<String, String> settings = Map.of("sohbet.campaign.whatsapp.messages-per-second", String.valueOf(RATE),
                "sohbet.campaign.whatsapp.messaging-limit", "250");
        port = Ports.free();
        for (int i = 0; i < 2; i++) {
            int management = Ports.free();
            MANAGEMENT.add(management);
            Map<String, String> own = new java.util.HashMap<>(settings);
            own.put("quarkus.management.port", String.valueOf(management));
            REPLICAS.add(processes.start(i == 0 ? port : Ports.free(), "replica-" + (i + 1), own));
        }
        RestAssured.port = port;
    }

    @AfterAll
    static void stop() {
        REPLICAS.forEach(ChildProcess::close);
        processes.close();
    }

    static String token() {
        return TestTokens.person("sohbet-campaign", "mert", "marketer").sign();
    }

    @Test
    void twoReplicasShareTheCampaignAndTheRateThenTheTierLimitStopsNewRecipients() throws Exception {
        PeerStandIns.simulator.defaultOutcome(new CloudApiSimulator.Deliver(null));
        int throttledBefore = PeerStandIns.simulator.throttled();
        List<String> subjects = new ArrayList<>();
        String id = launch(PeerStandIns.audience("replicas", 200, subjects));
        Response done = await(id, r -> "completed".equals(r.path("status")));
        List<CloudApiSimulator.Sent> sent = sentTo(subjects);
        assertThat(sent.stream().map(CloudApiSimulator.Sent::to).collect(Collectors.toSet())).hasSize(200);
        assertThat(sent).hasSize(200);
        assertThat(done.<Integer>path("progress.sent")).isEqualTo(200);
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        sent.forEach(m -> perSecond.merge(m.at().getEpochSecond(), 1, Integer::sum));
        assertThat(perSecond.values()).as("messages per second, both replicas together").allMatch(n -> n <= RATE);
        // The simulator counts arrivals per calendar second with no tolerance; the replicas pace sends (never more than the
        // rate in any 1.005 s), but on a loaded two-core machine a request can arrive a few milliseconds late and land in
        // the next second. Uncoordinated replicas would be refused dozens of times here; one in a hundred is transport jitter.
        System.out.printf("[replicas] messages per second %s, 130429 answers %d%n", perSecond.values(),
                PeerStandIns.simulator.throttled() - throttledBefore);
        assertThat(PeerStandIns.simulator.throttled() - throttledBefore).as("130429 answers").isLessThanOrEqualTo(sent.size() / 100);
        List<Integer> whole = new ArrayList<>(perSecond.values()).subList(1, perSecond.size() - 1);
        // a sanity check, not a speed goal (the sending benchmark measures the share of the rate: docs/benchmarks.md): two
        // replicas that each paced at half the rate would average 50 %; a saturated CI machine reached 76 % (30.5 of 40)
        assertThat(whole.stream().mapToInt(Integer::intValue).average().orElse(0)).as("the rate is used").isGreaterThan(RATE * 0.6);
        assertThat(MANAGEMENT).as("both replicas sent").allSatisfy(m -> assertThat(sentBy(m)).isPositive());

        // 200 of 250 unique recipients are used: a new campaign to 100 new people, 30 of whom gave no consent, reaches 50 of
        // the 70 who did: those skipped spend none of the tier (it counts messages that went out); the rest wait (those
        // claimed after the tier was full are held before their consent is read)
        List<String> more = new ArrayList<>();
        String tier = PeerStandIns.audience("tier", 100, more);
        for (int i = 0; i < 100; i += 10) {
            more.subList(i, i + 3).forEach(PeerStandIns.REVOKED::add);
        }
        String second = launch(tier);
        Response held = await(second, r -> Integer.valueOf(50).equals(r.path("progress.sent")) && Integer.valueOf(0).equals(r.path("progress.sending"))
                && r.<Integer>path("progress.skipped-no-consent") + r.<Integer>path("progress.queued") == 50);
        assertThat(held.<Integer>path("progress.skipped-no-consent")).isLessThanOrEqualTo(30);
        Thread.sleep(2000);
        assertThat(sentTo(more)).hasSize(50);
        assertThat(given().auth().oauth2(token()).when().get("/api/campaigns/" + second).then().extract().<String>path("status"))
                .isEqualTo("running");
        given().auth().oauth2(token()).when().post("/api/campaigns/" + second + "/cancel").then().statusCode(200);
        assertThat(held.<Integer>path("audience")).isEqualTo(100);
    }

    /** The replica's own count of accepted sends, from its Prometheus metrics. */
    static double sentBy(int managementPort) {
        String metrics = given().port(managementPort).when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("sohbet_campaign_sends_total{") && l.contains("outcome=\"sent\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static String launch(String segment) {
        String id = given().auth().oauth2(token()).contentType("application/json").body(CampaignResourceTest.draft(segment)).when()
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(token()).contentType("application/json").body("{}").when().post("/api/campaigns/" + id + "/schedule")
                .then().statusCode(200);
        return id;
    }

    static Response await(String id, Predicate<Response> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        Response r;
        do {
            Thread.sleep(250);
            r = given().auth().oauth2(token()).when().get("/api/campaigns/" + id);
        } while (!done.test(r) && System.currentTimeMillis() < deadline);
        assertThat(done.test(r)).as(r.asString()).isTrue();
        return r;
    }

    static List<CloudApiSimulator.Sent> sentTo(List<String> subjects) {
        Set<String> phones = subjects.stream().map(s -> PeerStandIns.CONTACTS.get(s).phone().substring(1)).collect(Collectors.toSet());
        return PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to())).toList();
    }
}
