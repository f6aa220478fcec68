package io.sohbet.segment.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Custom segments changed through another replica (its rows, its members and the catalog version written by that
 * replica, in one transaction as {@link SegmentCatalog#change} does): this replica evaluates with them from its very
 * next event, never empties a segment it did not know, and never brings a deleted one back.
 */
@QuarkusTest
class OtherReplicasSegmentsTest {

    @Inject
    Pool pool;

    static CloudEvent order(String subject, String id) {
        Instant at = Instant.now().minusSeconds(3600);
        return CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + id, "/test", at, subject, new CommerceEvent(id, "order.created", at, id,
                null, new BigDecimal("120.00"), "TRY", List.of(new CommerceEvent.Item("sku1", "giyim", 1, new BigDecimal("120.00"))), null));
    }

    void awaitOrders(String subject, int orders) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Response r;
        do {
            Thread.sleep(100);
            r = given().auth().oauth2(TestTokens.person("sohbet-segment", "mert", "marketer").sign()).when().get("/api/profiles/" + subject);
        } while ((r.statusCode() != 200 || !Integer.valueOf(orders).equals(r.path("attributes.ordersTotal")))
                && System.currentTimeMillis() < deadline);
        assertThat(r.<Integer>path("attributes.ordersTotal")).as(subject + "'s orders").isEqualTo(orders);
    }

    boolean member(String segment, String subject) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT 1 FROM segment_member WHERE segment_id = $1 "
                + "AND subject_id = $2").execute(Tuple.of(segment, subject))).size() == 1;
    }

    void otherReplica(String sql, Object... parameters) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock("
                        + SegmentCatalog.CATALOG_LOCK + ")").execute()
                .chain(() -> tx.preparedQuery(sql).execute(Tuple.from(java.util.Arrays.asList(parameters))))
                .chain(() -> tx.query("UPDATE segment_catalog SET version = version + 1").execute())));
    }

    @Test
    void aSegmentCreatedOrDeletedThroughAnotherReplicaCountsHereFromTheNextEvent() throws Throwable {
        String suffix = Long.toHexString(System.nanoTime());
        String member = "seg" + suffix + "member";
        String joiner = "seg" + suffix + "joiner";
        String segment = "other-replica-" + suffix;
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.COMMERCE_EVENT, member, order(member, "o1-" + member));
            kafka.send(Topics.COMMERCE_EVENT, joiner, order(joiner, "o1-" + joiner));
            awaitOrders(member, 1);
            awaitOrders(joiner, 1);
            // the other replica saves the segment and evaluates it for the member
            otherReplica("WITH s AS (INSERT INTO segment (id, name, description, rule, built_in, created_at, updated_at) VALUES ($1, "
                    + "'buyers', null, '{\"attr\":\"ordersTotal\",\"op\":\">=\",\"value\":1}', FALSE, now(), now())) "
                    + "INSERT INTO segment_member (segment_id, subject_id, since) VALUES ($1, $2, now())", segment, member);
            // at once both order again, and this replica evaluates them with the segment: no waiting for a refresh
            kafka.send(Topics.COMMERCE_EVENT, member, order(member, "o2-" + member));
            kafka.send(Topics.COMMERCE_EVENT, joiner, order(joiner, "o2-" + joiner));
            awaitOrders(member, 2);
            awaitOrders(joiner, 2);
            assertThat(member(segment, member)).as("still a member of the segment made through the other replica").isTrue();
            assertThat(member(segment, joiner)).as("evaluated here at once").isTrue();

            // the other replica deletes it, with its members; a later event here does not bring it back
            otherReplica("WITH s AS (DELETE FROM segment WHERE id = $1) DELETE FROM segment_member WHERE segment_id = $1", segment);
            kafka.send(Topics.COMMERCE_EVENT, member, order(member, "o3-" + member));
            awaitOrders(member, 3);
            assertThat(member(segment, member)).as("a deleted segment is not revived").isFalse();
        }
    }
}
