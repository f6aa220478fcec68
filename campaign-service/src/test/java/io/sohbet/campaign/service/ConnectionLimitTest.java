package io.sohbet.campaign.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.campaign.service.SendingTest.QueueRow;
import io.sohbet.devstack.whatsapp.CloudApiSimulator;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sohbet.campaign.service.SendingTest.awaitStatus;
import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.rows;
import static io.sohbet.campaign.service.SendingTest.sentTo;
import static io.sohbet.campaign.service.SendingTest.wa;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A send request is made only with a free connection to the Cloud API ({@code whatsapp.max-connections}, 6 in tests).
 * With every connection held by a slow answer, a recipient waits for one only until its second's deadline and then goes
 * back to the queue: made anyway, the request would wait in the HTTP client's queue after its deadline was checked and
 * reach Meta in a later second, over the rate (the campaign benchmark's 130429s with two replicas and 64 connections).
 */
@QuarkusTest
class ConnectionLimitTest {

    private static final Duration ANSWER = Duration.ofMillis(1500);

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Test
    void aRecipientWaitsForAConnectionOnlyUntilItsSecondEndsAndIsSentLaterOnce() throws Throwable {
        CloudApiSimulator sim = PeerStandIns.simulator;
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("connections", 12, s);
        // each answer takes 1.5 s (within the 2 s timeout: accepted): the first six hold every connection for longer
        // than the seconds of the six after them last
        s.forEach(subject -> sim.script(wa(subject), new CloudApiSimulator.LostAnswer(ANSWER)));
        double noConnectionBefore = noConnection();
        String id = launch(CampaignResourceTest.draft(segment));
        awaitStatus(id, "completed", Duration.ofSeconds(60));

        Map<String, QueueRow> rows = rows(pool, id);
        assertThat(rows.values()).as("everyone sent").allSatisfy(r -> assertThat(r.status()).isEqualTo("sent"));
        assertThat(rows.values()).as("waiting for a connection is not an attempt").allSatisfy(r -> assertThat(r.attempts()).isEqualTo(1));
        List<CloudApiSimulator.Sent> sent = sentTo(s);
        assertThat(sent).as("one request per recipient: nobody was sent twice").hasSize(12)
                .extracting(CloudApiSimulator.Sent::to).doesNotHaveDuplicates();
        assertThat(noConnection() - noConnectionBefore).as("recipients who found every connection busy until their deadline")
                .isGreaterThanOrEqualTo(1);
        // never more requests open at the simulator than connections: each holds its connection for the answer's 1.5 s
        List<Instant> at = sent.stream().map(CloudApiSimulator.Sent::at).sorted().toList();
        for (int i = 0; i < at.size(); i++) {
            Instant arrived = at.get(i);
            long open = at.stream().filter(a -> !a.isAfter(arrived) && a.isAfter(arrived.minus(ANSWER).plusMillis(50))).count();
            assertThat(open).as("requests open at %s (arrivals %s)", arrived, at).isLessThanOrEqualTo(6);
        }
    }

    private double noConnection() {
        Counter counter = registry.find("sohbet.campaign.sends.no.connection").counter();
        return counter == null ? 0 : counter.count();
    }
}
