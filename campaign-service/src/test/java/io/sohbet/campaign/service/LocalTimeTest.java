package io.sohbet.campaign.service;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.campaign.service.SendingTest.QueueRow;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.sohbet.campaign.service.SendingTest.awaitRows;
import static io.sohbet.campaign.service.SendingTest.launch;
import static io.sohbet.campaign.service.SendingTest.marketer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local-time scheduling plans each recipient in their own time zone (from their number): someone in Baku, an hour
 * ahead of Istanbul, is due at the local time in Baku — not an hour late, as planning in Istanbul time and leaving the
 * sender (which can only delay) to fix it would make them — and someone in Berlin at the local time in Berlin.
 */
@QuarkusTest
class LocalTimeTest {

    static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
    static final ZoneId BAKU = ZoneId.of("Asia/Baku");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Inject
    Pool pool;

    @Test
    void everyRecipientIsDueAtTheLocalTimeInTheirOwnZone() throws Throwable {
        List<String> s = new ArrayList<>();
        String segment = PeerStandIns.audience("local", 3, s);
        PeerStandIns.CONTACTS.put(s.get(1), new PeerStandIns.Contact("+99450" + String.format("%07d", System.nanoTime() % 10_000_000L),
                "Leyla", "Leyla"));
        PeerStandIns.CONTACTS.put(s.get(2), new PeerStandIns.Contact("+49151" + String.format("%08d", System.nanoTime() % 100_000_000L),
                "Hans", "Hans"));
        // three hours from now in Istanbul, on the hour: ahead of now in every one of the three zones
        LocalTime at = LocalTime.now(ISTANBUL).plusHours(3).truncatedTo(ChronoUnit.HOURS);
        Map<String, Object> d = CampaignResourceTest.draft(segment);
        d.put("schedule", Map.of("mode", "local-time", "localTime", at.toString()));
        String id = launch(d);
        Map<String, QueueRow> rows = awaitRows(pool, id, r -> r.size() == 3, Duration.ofSeconds(20));
        Response c = given().auth().oauth2(marketer()).when().get("/api/campaigns/" + id);
        Instant start = Instant.parse(c.path("startAt"));
        assertThat(rows.get(s.get(0)).due()).isEqualTo(SendTimes.localTime(start, at, ISTANBUL));
        assertThat(rows.get(s.get(1)).due()).as("Baku: the local time there, an hour before Istanbul's")
                .isEqualTo(SendTimes.localTime(start, at, BAKU));
        assertThat(rows.get(s.get(2)).due()).isEqualTo(SendTimes.localTime(start, at, BERLIN));
        assertThat(rows.get(s.get(1)).due().atZone(BAKU).toLocalTime()).isEqualTo(at);
        SendingTest.cancel(id);
    }
}
