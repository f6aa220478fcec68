package io.sohbet.segment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sohbet.devstack.ChildProcess;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.KeyVaultStandIn;
import io.sohbet.devstack.Ports;
import io.sohbet.devstack.SohbetTestResource;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.SegmentMembership;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged service on one database and one consumer group, as the chart runs them: a segment
 * created through one is known to the other at once, edits through one while both evaluate events leave the members
 * the rule gives, a segment deleted through one is brought back by neither, and each person's entered/left of it
 * alternate on segment.membership.
 */
class ReplicasIT {

    static final List<QuarkusTestResourceLifecycleManager> RESOURCES = new ArrayList<>();
    static final Map<String, String> CONFIG = new HashMap<>();
    static final List<ChildProcess> REPLICAS = new ArrayList<>();
    static final List<Integer> PORTS = new ArrayList<>();

    @BeforeAll
    static void twoReplicas() throws Exception {
        SohbetTestResource postgresAndKafka = new SohbetTestResource();
        postgresAndKafka.init(Map.of(SohbetTestResource.DATABASE, "segment_replicas"));
        RESOURCES.addAll(List.of(postgresAndKafka, new OidcWiremockTestResource(), new KeyVaultStandIn()));
        for (QuarkusTestResourceLifecycleManager r : RESOURCES) {
            CONFIG.putAll(r.start());
        }
        for (int i = 0; i < 2; i++) {
            int port = Ports.free();
            PORTS.add(port);
            REPLICAS.add(start(port, "segment-replica-" + (i + 1)));
        }
    }

    static ChildProcess start(int port, String name) throws Exception {
        Map<String, String> props = new HashMap<>(CONFIG);
        props.put("quarkus.profile", "test"); // the test profile's settings (keys, OIDC realm), on the packaged service
        props.put("quarkus.http.port", String.valueOf(port));
        props.put("quarkus.management.port", String.valueOf(Ports.free()));
        props.put("quarkus.oidc-client.credentials.secret", "unused-no-demographics-here");
        props.put("sohbet.segment.reevaluate-every", "1h");
        return ChildProcess.packaged("segment-service", name, props, Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        REPLICAS.forEach(ChildProcess::close);
        RESOURCES.forEach(QuarkusTestResourceLifecycleManager::stop);
    }

    static RequestSpecification at(int replica) {
        return given().port(PORTS.get(replica)).auth().oauth2(TestTokens.person("sohbet-segment", "mert", "marketer").sign());
    }

    static CloudEvent order(String subject, String id) {
        Instant at = Instant.now().minusSeconds(3600);
        return CloudEvent.of(Topics.COMMERCE_EVENT, "commerce:" + id, "/test", at, subject, new CommerceEvent(id, "order.created", at, id,
                null, new BigDecimal("120.00"), "TRY", List.of(new CommerceEvent.Item("sku1", "giyim", 1, new BigDecimal("120.00"))), null));
    }

    static Connection database() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", CONFIG.get(SohbetTestResource.SUPERUSER));
        p.setProperty("password", CONFIG.get(SohbetTestResource.SUPERUSER_PASSWORD));
        p.setProperty("sslmode", CONFIG.get("quarkus.datasource.jdbc.additional-jdbc-properties.sslmode"));
        p.setProperty("sslrootcert", CONFIG.get("quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert"));
        return DriverManager.getConnection(CONFIG.get(SohbetTestResource.SUPERUSER_URL), p);
    }

    static Set<String> members(String segment) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = database(); var s = c.prepareStatement("SELECT subject_id FROM segment_member WHERE segment_id = ?")) {
            s.setString(1, segment);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    static long totalOrders(List<String> subjects) throws Exception {
        try (Connection c = database(); var s = c.prepareStatement("SELECT coalesce(sum(orders_total), 0) FROM profile WHERE subject_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", subjects.toArray()));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static void await(String what, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!done.call()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void replicasEditAndEvaluateTogetherAndAgree() throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        String segment = "repeat-buyers-" + suffix.substring(suffix.length() - 8);
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            subjects.add("rep" + suffix + "s" + i + "subject");
        }
        String twoOrders = "{\"attr\":\"ordersTotal\",\"op\":\">=\",\"value\":2}";
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            at(0).contentType(ContentType.JSON).body("{\"id\":\"" + segment + "\",\"name\":\"repeat buyers\",\"rule\":" + twoOrders + "}")
                    .when().post("/api/segments").then().statusCode(201);
            at(1).when().get("/api/segments/" + segment).then().statusCode(200); // known there at once

            // both replicas evaluate orders while the rule is changed through the second one, and back
            for (String s : subjects) {
                kafka.send(Topics.COMMERCE_EVENT, s, order(s, "o1-" + s));
                kafka.send(Topics.COMMERCE_EVENT, s, order(s, "o2-" + s));
            }
            at(1).contentType(ContentType.JSON).body("{\"id\":\"" + segment + "\",\"name\":\"x\",\"rule\":"
                    + "{\"attr\":\"ordersTotal\",\"op\":\">=\",\"value\":3}}").when().put("/api/segments/" + segment).then().statusCode(204);
            at(1).contentType(ContentType.JSON).body("{\"id\":\"" + segment + "\",\"name\":\"repeat buyers\",\"rule\":" + twoOrders + "}")
                    .when().put("/api/segments/" + segment).then().statusCode(204);
            await("every order stored", () -> totalOrders(subjects) == 2L * subjects.size());
            await("everyone with two orders is a member", () -> members(segment).containsAll(subjects));

            // deleted through the first replica while both go on evaluating: brought back by neither
            at(0).when().delete("/api/segments/" + segment).then().statusCode(204);
            at(1).when().get("/api/segments/" + segment).then().statusCode(404);
            for (String s : subjects) {
                kafka.send(Topics.COMMERCE_EVENT, s, order(s, "o3-" + s));
            }
            await("every third order stored", () -> totalOrders(subjects) == 3L * subjects.size());
            assertThat(members(segment)).as("no member of a deleted segment").isEmpty();

            // each person's entered and left alternate, entered first and left last
            Thread.sleep(3000); // the relays' last batches
            Map<String, List<String>> changes = new HashMap<>();
            for (var r : kafka.drain(Duration.ofSeconds(5))) {
                SegmentMembership m = r.value().dataAs(SegmentMembership.class);
                if (m.segmentId().equals(segment)) {
                    changes.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(m.change());
                }
            }
            assertThat(changes.keySet()).containsExactlyInAnyOrderElementsOf(subjects);
            changes.forEach((subject, list) -> {
                assertThat(list.get(0)).as(subject + " " + list).isEqualTo(SegmentMembership.ENTERED);
                assertThat(list.get(list.size() - 1)).as(subject + " " + list).isEqualTo(SegmentMembership.LEFT);
                for (int i = 1; i < list.size(); i++) {
                    assertThat(list.get(i)).as(subject + " " + list).isNotEqualTo(list.get(i - 1));
                }
            });
        }
    }
}
