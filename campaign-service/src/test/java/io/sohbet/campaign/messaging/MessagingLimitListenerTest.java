package io.sohbet.campaign.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.campaign.PeerStandIns;
import io.sohbet.campaign.rest.CampaignResourceTest;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's messaging-limit reports on {@code wa.account} change the limit the running service sends under, without a
 * restart: a campaign held at the limit goes out once Meta raises it; an older report arriving late changes nothing.
 */
@QuarkusTest
class MessagingLimitListenerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    static CloudEvent account(String field, String value, Instant receivedAt) throws Exception {
        return CloudEvent.of(Topics.WA_ACCOUNT, "wa.account:" + field + ":" + System.nanoTime(), "/sohbet/webhook-service", receivedAt,
                null, new WaAccount(field, "102290129340398", receivedAt, JSON.readTree(value)));
    }

    Object query(String sql, Object... parameters) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(sql).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getValue(0) : null));
    }

    void awaitLimit(Integer expected) throws Throwable {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!java.util.Objects.equals(query("SELECT messaging_limit FROM send_rate LIMIT 1"), expected)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(query("SELECT messaging_limit FROM send_rate LIMIT 1")).isEqualTo(expected);
    }

    Map<String, Object> campaign(String id) {
        return given().auth().oauth2(TestTokens.person("sohbet-campaign", "mert", "marketer").sign()).when().get("/api/campaigns/" + id)
                .then().statusCode(200).extract().as(Map.class);
    }

    @Test
    void aCampaignHeldAtTheReportedLimitGoesOutWhenMetaRaisesIt() throws Throwable {
        // at least one recipient in the 24-hour window, so that a limit equal to the window's size leaves no room
        query("INSERT INTO recipient_window (subject_id, last_sent_at) VALUES ($1, now()) ON CONFLICT DO NOTHING",
                "limit-probe-" + System.nanoTime());
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            long used = (Long) query("SELECT count(*) FROM recipient_window WHERE last_sent_at > now() - interval '24 hours'");
            Instant t = Instant.now();
            kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", account("business_capability_update",
                    "{\"max_daily_conversation_per_phone\":" + used + ",\"max_phone_numbers_per_waba\":2}", t));
            awaitLimit((int) used);

            List<String> s = new ArrayList<>();
            String segment = PeerStandIns.audience("limit", 3, s);
            String id = given().auth().oauth2(TestTokens.person("sohbet-campaign", "mert", "marketer").sign()).contentType("application/json")
                    .body(CampaignResourceTest.draft(segment)).when().post("/api/campaigns").then().statusCode(201).extract().path("id");
            given().auth().oauth2(TestTokens.person("sohbet-campaign", "mert", "marketer").sign()).contentType("application/json")
                    .body("{}").when().post("/api/campaigns/" + id + "/schedule").then().statusCode(200);
            Thread.sleep(4000);
            assertThat(sent(s)).as("held at the limit Meta reported").isZero();
            assertThat(query("SELECT count(*) FROM send_queue WHERE campaign_id = $1 AND error_title = 'waiting for the messaging tier limit'", id))
                    .isEqualTo(3L);

            // a report from before arrives late: ignored
            kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", account("business_capability_update",
                    "{\"max_daily_conversations_per_business\":\"TIER_UNLIMITED\"}", t.minusSeconds(3600)));
            Thread.sleep(3000);
            assertThat(query("SELECT messaging_limit FROM send_rate LIMIT 1")).isEqualTo((int) used);
            assertThat(sent(s)).isZero();

            // Meta raises the limit: the held recipients go out, no restart
            kafka.send(Topics.WA_ACCOUNT, "account:102290129340398", account("phone_number_quality_update",
                    "{\"display_phone_number\":\"908505551234\",\"event\":\"UPGRADE\",\"current_limit\":\"TIER_100K\"}", Instant.now()));
            awaitLimit(100_000);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"completed".equals(campaign(id).get("status")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(campaign(id).get("status")).isEqualTo("completed");
            assertThat(sent(s)).isEqualTo(3);
        } finally {
            // back to the configured limit for the other tests
            query("UPDATE send_rate SET messaging_limit = NULL, messaging_limit_source = NULL, messaging_limit_at = NULL");
        }
    }

    static long sent(List<String> subjects) {
        List<String> phones = subjects.stream().map(x -> PeerStandIns.CONTACTS.get(x).phone().substring(1)).toList();
        return PeerStandIns.simulator.sent().stream().filter(m -> phones.contains(m.to())).count();
    }
}
