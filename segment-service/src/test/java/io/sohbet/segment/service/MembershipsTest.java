package io.sohbet.segment.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Memberships#apply}: one statement takes the difference with the stored memberships, inserts and deletes, and
 * writes one event per changed row from the serializer's template; the events are the serializer's own, also for
 * subject ids that JSON has to escape, and reach Kafka.
 */
@QuarkusTest
class MembershipsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @Inject
    Memberships memberships;

    @Test
    void changesAreWrittenOnceEachWithTheSerializersEventAndOnlyForEvaluatedSegments() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String plain = "mship-" + run + "-a";
        String escaped = "mship-" + run + "-\"b\\ç\t";
        Set<String> evaluated = Set.of("vip", "active", "new");
        Instant first = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant second = first.plusSeconds(60);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            // a membership of a segment this evaluation did not decide about (broken, say) is left alone
            sql("INSERT INTO segment_member (segment_id, subject_id, since) VALUES ('loyal', $1, now())", Tuple.of(plain));

            List<String[]> events = apply(Map.of(plain, Set.of("vip", "active"), escaped, Set.of("vip")), evaluated, first, 3);
            assertThat(events).extracting(e -> e[0] + " " + tree(e[1])).containsExactlyInAnyOrder(plain + " " + expected("vip", plain, "entered", first),
                    plain + " " + expected("active", plain, "entered", first), escaped + " " + expected("vip", escaped, "entered", first));
            for (String[] e : events) { // the serializer's bytes, not only the same JSON
                String segment = JSON.readTree(e[1]).get("data").get("segmentId").asText();
                assertThat(e[1]).isEqualTo(Memberships.event(segment, e[0], "entered", first));
            }
            assertThat(members(plain)).containsExactly("active", "loyal", "vip");
            assertThat(members(escaped)).containsExactly("vip");

            events = apply(Map.of(plain, Set.of("active"), escaped, Set.of("vip", "new")), evaluated, second, 2);
            assertThat(events).extracting(e -> e[0] + " " + tree(e[1])).containsExactlyInAnyOrder(
                    plain + " " + expected("vip", plain, "left", second), escaped + " " + expected("new", escaped, "entered", second));
            assertThat(members(plain)).containsExactly("active", "loyal");
            assertThat(members(escaped)).containsExactly("new", "vip");

            // nothing changed: no row, no event
            assertThat(apply(Map.of(plain, Set.of("active"), escaped, Set.of("vip", "new")), evaluated, second.plusSeconds(60), 0)).isEmpty();

            var received = kafka.await(5, r -> r.key().startsWith("mship-" + run), Duration.ofSeconds(30));
            assertThat(received).extracting(r -> r.key() + " " + r.value().id()).containsExactlyInAnyOrder(
                    plain + " membership:vip:" + plain + ":entered:" + first.toEpochMilli(),
                    plain + " membership:active:" + plain + ":entered:" + first.toEpochMilli(),
                    escaped + " membership:vip:" + escaped + ":entered:" + first.toEpochMilli(),
                    plain + " membership:vip:" + plain + ":left:" + second.toEpochMilli(),
                    escaped + " membership:new:" + escaped + ":entered:" + second.toEpochMilli());
            assertThat(received).allSatisfy(r -> {
                assertThat(r.value().subject()).isEqualTo(r.key());
                assertThat(r.value().dataAs(SegmentMembership.class).at()).isIn(first, second);
            });
        } finally {
            sql("DELETE FROM segment_member WHERE subject_id LIKE $1", Tuple.of("mship-" + run + "%"));
        }
    }

    /** The serializer's event, as a JSON tree's text (the outbox's is compared the same way). */
    static String expected(String segment, String subject, String kind, Instant at) throws Exception {
        return JSON.readTree(Memberships.event(segment, subject, kind, at)).toString();
    }

    /**
     * Applies in a transaction and returns the outbox rows it wrote (subject, event), read in that
     * transaction before the relay can take them; the number of changes must be {@code changes}.
     */
    List<String[]> apply(Map<String, Set<String>> computed, Set<String> evaluated, Instant now, int changes) throws Throwable {
        String[] subjects = computed.keySet().toArray(new String[0]);
        return VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> outboxIds(tx, subjects)
                .flatMap(before -> memberships.apply(tx, computed, evaluated, now).invoke(n -> assertThat(n).isEqualTo(changes))
                        .chain(() -> tx.preparedQuery("SELECT id, event_key, event FROM outbox WHERE event_key = ANY($1) ORDER BY id")
                                .execute(Tuple.of((Object) subjects)))
                        .map(rows -> {
                            List<String[]> written = new ArrayList<>();
                            for (Row r : rows) {
                                if (!before.contains(r.getLong("id"))) {
                                    written.add(new String[] {r.getString("event_key"), r.getString("event")});
                                }
                            }
                            return written;
                        }))));
    }

    /** The outbox rows of the subjects that are there already (the relay may not have taken them yet). */
    static io.smallrye.mutiny.Uni<Set<Long>> outboxIds(SqlClient tx, String[] subjects) {
        return tx.preparedQuery("SELECT id FROM outbox WHERE event_key = ANY($1)").execute(Tuple.of((Object) subjects)).map(rows -> {
            Set<Long> ids = new java.util.HashSet<>();
            rows.forEach(r -> ids.add(r.getLong("id")));
            return ids;
        });
    }

    static String tree(String event) {
        try {
            return JSON.readTree(event).toString();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + e.getMessage());
        }
    }

    Set<String> members(String subject) throws Throwable {
        Set<String> segments = new TreeSet<>();
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT segment_id FROM segment_member WHERE subject_id = $1")
                .execute(Tuple.of(subject))).forEach(r -> segments.add(r.getString("segment_id")));
        return segments;
    }

    void sql(String statement, Tuple parameters) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(statement).execute(parameters));
    }
}
