package io.sohbet.segment.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.events.CloudEventDeserializer;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.EventJson;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.SegmentMembership;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
 * writes one compact row per changed membership to the membership outbox; the relay publishes each as the serializer's
 * event of the change (the one the outbox held as text before), also for subject ids that JSON has to escape.
 */
@QuarkusTest
class MembershipsTest {

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = EventJson.MAPPER;

    @Inject
    Pool pool;

    @Inject
    Memberships memberships;

    @Test
    void changesAreWrittenOnceEachAndPublishedAsTheSerializersEventsOnlyForEvaluatedSegments() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String plain = "mship-" + run + "-a";
        String escaped = "mship-" + run + "-\"b\\ç\t";
        Set<String> evaluated = Set.of("vip", "active", "new");
        Instant first = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant second = first.plusSeconds(60);
        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP)) {
            // a membership of a segment this evaluation did not decide about (broken, say) is left alone
            sql("INSERT INTO segment_member (segment_id, subject_id, since) VALUES ('loyal', $1, now())", Tuple.of(plain));

            assertThat(apply(Map.of(plain, Set.of("vip", "active"), escaped, Set.of("vip")), evaluated, first, 3)).containsExactlyInAnyOrder(
                    change("vip", plain, true, first), change("active", plain, true, first), change("vip", escaped, true, first));
            assertThat(members(plain)).containsExactly("active", "loyal", "vip");
            assertThat(members(escaped)).containsExactly("vip");

            assertThat(apply(Map.of(plain, Set.of("active"), escaped, Set.of("vip", "new")), evaluated, second, 2)).containsExactlyInAnyOrder(
                    change("vip", plain, false, second), change("new", escaped, true, second));
            assertThat(members(plain)).containsExactly("active", "loyal");
            assertThat(members(escaped)).containsExactly("new", "vip");

            // nothing changed: no row, no event
            assertThat(apply(Map.of(plain, Set.of("active"), escaped, Set.of("vip", "new")), evaluated, second.plusSeconds(60), 0)).isEmpty();

            // each published as the serializer writes the event of the change, the same as when the outbox held its text
            var received = kafka.await(5, r -> r.key().startsWith("mship-" + run), Duration.ofSeconds(30));
            assertThat(received).extracting(r -> r.key() + " " + JSON.writeValueAsString(r.value())).containsExactlyInAnyOrder(
                    plain + " " + serialized("vip", plain, SegmentMembership.ENTERED, first),
                    plain + " " + serialized("active", plain, SegmentMembership.ENTERED, first),
                    escaped + " " + serialized("vip", escaped, SegmentMembership.ENTERED, first),
                    plain + " " + serialized("vip", plain, SegmentMembership.LEFT, second),
                    escaped + " " + serialized("new", escaped, SegmentMembership.ENTERED, second));
            assertThat(received).extracting(r -> r.value().id()).contains("membership:vip:" + plain + ":entered:" + first.toEpochMilli(),
                    "membership:vip:" + plain + ":left:" + second.toEpochMilli());
            // the relay deletes a batch once Kafka acknowledged it, in the transaction that claimed it: soon after
            long left = -1;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); left != 0 && System.nanoTime() < deadline; ) {
                left = count("SELECT count(*) FROM membership_outbox WHERE subject_id LIKE $1", "mship-" + run + "%");
                if (left != 0) {
                    Thread.sleep(100);
                }
            }
            assertThat(left).as("rows left once published").isZero();
        } finally {
            sql("DELETE FROM segment_member WHERE subject_id LIKE $1", Tuple.of("mship-" + run + "%"));
        }
    }

    /** The event of a change as the service wrote it into the outbox before, read back as the relay did, and serialized. */
    static String serialized(String segment, String subject, String kind, Instant at) throws Exception {
        byte[] text = CloudEventSerializer.encode(Topics.SEGMENT_MEMBERSHIP, "membership:" + segment + ":" + subject + ":" + kind + ":"
                + at.toEpochMilli(), "/sohbet/segment-service", at, subject, new SegmentMembership(segment, kind, at));
        return JSON.writeValueAsString(new CloudEventDeserializer().deserialize(Topics.SEGMENT_MEMBERSHIP, text));
    }

    static String change(String segment, String subject, boolean entered, Instant at) {
        return segment + " " + subject + " " + entered + " " + at;
    }

    /**
     * Applies in a transaction and returns the membership outbox rows it wrote (segment, subject, entered, at), read in
     * that transaction before the relay can take them; the number of changes must be {@code changes}.
     */
    List<String> apply(Map<String, Set<String>> computed, Set<String> evaluated, Instant now, int changes) throws Throwable {
        String[] subjects = computed.keySet().toArray(new String[0]);
        String rows = "SELECT id, segment_id, subject_id, entered, at FROM membership_outbox WHERE subject_id = ANY($1) ORDER BY id";
        return VertxContextSupport.subscribeAndAwait(() -> pool.withTransaction(tx -> tx.preparedQuery(rows).execute(Tuple.of((Object) subjects))
                .flatMap(before -> {
                    Set<Long> there = new java.util.HashSet<>();
                    before.forEach(r -> there.add(r.getLong("id")));
                    return memberships.apply(tx, computed, evaluated, now).invoke(n -> assertThat(n).isEqualTo(changes))
                            .chain(() -> tx.preparedQuery(rows).execute(Tuple.of((Object) subjects)))
                            .map(after -> {
                                List<String> written = new ArrayList<>();
                                for (Row r : after) {
                                    if (!there.contains(r.getLong("id"))) {
                                        written.add(change(r.getString("segment_id"), r.getString("subject_id"), r.getBoolean("entered"),
                                                r.getOffsetDateTime("at").toInstant()));
                                    }
                                }
                                return written;
                            });
                })));
    }

    long count(String query, String parameter) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(query).execute(Tuple.of(parameter))).iterator().next().getLong(0);
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
