package io.sohbet.segment.service;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.devstack.ErasureRequests;
import io.sohbet.devstack.KafkaProbe;
import io.sohbet.devstack.TestTokens;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.ConsentChange;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.events.payload.SegmentMembership;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code consent.change} over the real broker into the real database: the state kept is the newest change whatever the
 * order of arrival, the preview counts who of the matching profiles is reachable with marketing consent, an erasure
 * deletes the state, and a profiling withdrawal stops profiling the person until they grant it again.
 */
@QuarkusTest
class ConsentStatesTest {

    /** Ledger entry ids, rising like consent-service's. */
    static final AtomicLong ENTRY = new AtomicLong(System.currentTimeMillis() * 1000);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SegmentFacts facts;

    @Test
    void theNewestChangeIsKeptAndThePreviewCountsWhoIsReachable() throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        String city = "Kırklareli-" + suffix;
        String granted = "reach" + suffix + "granted";
        String revoked = "reach" + suffix + "revoked";
        String unknown = "reach" + suffix + "unknown";
        String profilingOnly = "reach" + suffix + "profiling";
        for (String subject : List.of(granted, revoked, unknown, profilingOnly)) {
            update("INSERT INTO profile (subject_id, first_seen_at, last_seen_at, city) VALUES (?, now(), now(), ?)", subject, city);
        }
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(3));
        long staleEntry = ENTRY.incrementAndGet();
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            // two changes captured at the same time: the one recorded last (higher entry id) is the state, even when the
            // other is delivered again after it
            long first = ENTRY.incrementAndGet();
            kafka.send(Topics.CONSENT_CHANGE, granted, change(first, granted, "marketing", ConsentChange.REVOKED, t0));
            kafka.send(Topics.CONSENT_CHANGE, granted, change(ENTRY.incrementAndGet(), granted, "marketing", ConsentChange.GRANTED, t0));
            kafka.send(Topics.CONSENT_CHANGE, granted, change(first, granted, "marketing", ConsentChange.REVOKED, t0));
            kafka.send(Topics.CONSENT_CHANGE, revoked, change(ENTRY.incrementAndGet(), revoked, "marketing", ConsentChange.GRANTED, t0));
            kafka.send(Topics.CONSENT_CHANGE, revoked, change(ENTRY.incrementAndGet(), revoked, "marketing", ConsentChange.REVOKED,
                    t0.plus(Duration.ofDays(1))));
            // an older grant published again after the withdrawal (a failed outbox batch, a replayed dead letter): no change
            kafka.send(Topics.CONSENT_CHANGE, revoked, change(staleEntry, revoked, "marketing", ConsentChange.GRANTED,
                    t0.plus(Duration.ofHours(12))));
            kafka.send(Topics.CONSENT_CHANGE, profilingOnly, change(ENTRY.incrementAndGet(), profilingOnly, "analytics",
                    ConsentChange.GRANTED, t0));
            // last on each key's partition: once it is kept, everything before it was handled
            for (String subject : List.of(granted, revoked, profilingOnly)) {
                kafka.send(Topics.CONSENT_CHANGE, subject, change(ENTRY.incrementAndGet(), subject, "profiling", ConsentChange.GRANTED, t0));
            }
        }
        for (String subject : List.of(granted, revoked, profilingOnly)) {
            awaitRows("SELECT count(*) FROM consent_state WHERE subject_id = ? AND purpose = 'profiling'", subject, 1);
        }
        assertThat(column("SELECT state FROM consent_state WHERE subject_id = ? AND purpose = 'marketing'", granted))
                .containsExactly(ConsentChange.GRANTED);

        assertThat(column("SELECT state FROM consent_state WHERE subject_id = ? AND purpose = 'marketing'", revoked))
                .containsExactly(ConsentChange.REVOKED);
        assertThat(column("SELECT purpose FROM consent_state WHERE subject_id = ?", profilingOnly))
                .as("analytics is none of segment-service's business").containsExactly("profiling");

        String rule = "{\"rule\":{\"attr\":\"city\",\"op\":\"=\",\"value\":\"" + city + "\"}}";
        given().auth().oauth2(TestTokens.person("sohbet-segment", "mert", "marketer").sign()).contentType(ContentType.JSON).body(rule)
                .when().post("/api/segments/preview").then().statusCode(200)
                .body("count", equalTo(4)).body("reachable", equalTo(1));
        given().auth().oauth2(TestTokens.person("sohbet-segment", "ayla", "analyst").sign()).contentType(ContentType.JSON).body(rule)
                .when().post("/api/segments/preview").then().statusCode(200)
                .body("count", nullValue()).body("reachable", nullValue()).body("belowMinimumSize", equalTo(true));

        // the erasure deletes the state with everything else
        ErasureRequests.deliver(granted, "segment-service", 1);
        assertThat(column("SELECT state FROM consent_state WHERE subject_id = ?", granted)).isEmpty();
    }

    @Test
    void withdrawingProfilingRemovesTheProfileAndItsMembershipsAndAGrantResumes() throws Exception {
        String subject = "prof" + Long.toHexString(System.nanoTime()) + "subject";
        Instant now = Instant.now();
        facts.click("link.click:" + subject + ":1", subject, new LinkClick("camp-1", "A", "l1", "https://example.com", now))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(column("SELECT subject_id FROM profile WHERE subject_id = ?", subject)).hasSize(1);
        // the memberships the click gave (the scheduled run would compute the same ones)
        List<String> before = column("SELECT segment_id FROM segment_member WHERE subject_id = ?", subject);
        assertThat(before).contains("new", "passive");

        try (KafkaProbe kafka = KafkaProbe.shared().watch(Topics.SEGMENT_MEMBERSHIP, Topics.PRIVACY_DESTRUCTION)) {
            // a grant is no withdrawal: nothing is removed
            kafka.send(Topics.CONSENT_CHANGE, subject, change(ENTRY.incrementAndGet(), subject, "profiling", ConsentChange.GRANTED,
                    now.minusSeconds(60)));
            kafka.send(Topics.CONSENT_CHANGE, subject, change(ENTRY.incrementAndGet(), subject, "profiling", ConsentChange.REVOKED, now));
            // every membership leaves, announced like any other, and the deletion reaches the destruction records (all
            // awaited at once: the probe drops what it does not take)
            var seen = kafka.await(before.size() + 1, r -> Topics.PRIVACY_DESTRUCTION.equals(r.topic())
                    ? r.value().dataAs(PrivacyDestruction.class).entries().stream().anyMatch(e -> e.legalReason().equals(ConsentStates.WITHDRAWN))
                    : subject.equals(r.key()) && SegmentMembership.LEFT.equals(r.value().dataAs(SegmentMembership.class).change()),
                    Duration.ofSeconds(30));
            assertThat(seen.stream().filter(r -> Topics.SEGMENT_MEMBERSHIP.equals(r.topic())))
                    .extracting(r -> r.value().dataAs(SegmentMembership.class).segmentId()).containsExactlyInAnyOrderElementsOf(before);
            PrivacyDestruction destruction = seen.stream().filter(r -> Topics.PRIVACY_DESTRUCTION.equals(r.topic())).findFirst()
                    .orElseThrow().value().dataAs(PrivacyDestruction.class);
            assertThat(destruction.service()).isEqualTo("segment-service");
            assertThat(destruction.entries()).extracting(PrivacyDestruction.Entry::dataset, PrivacyDestruction.Entry::records)
                    .contains(org.assertj.core.groups.Tuple.tuple("profile", 1L), org.assertj.core.groups.Tuple.tuple("interaction", 1L),
                            org.assertj.core.groups.Tuple.tuple("segment_member", (long) before.size()));
            assertThat(seen.stream().filter(r -> Topics.PRIVACY_DESTRUCTION.equals(r.topic())).findFirst().orElseThrow().value()
                    .toString()).as("no subject id in a destruction record").doesNotContain(subject);
        }
        assertThat(column("SELECT subject_id FROM profile WHERE subject_id = ? UNION ALL SELECT subject_id FROM interaction "
                + "WHERE subject_id = ? UNION ALL SELECT subject_id FROM segment_member WHERE subject_id = ?", subject, subject, subject))
                .as("profile, facts and memberships after the withdrawal").isEmpty();

        // while it stays withdrawn, facts about the person are not stored
        facts.click("link.click:" + subject + ":2", subject, new LinkClick("camp-1", "A", "l1", "https://example.com", now.plusSeconds(1)))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(column("SELECT subject_id FROM profile WHERE subject_id = ? UNION ALL SELECT subject_id FROM interaction "
                + "WHERE subject_id = ?", subject, subject)).isEmpty();

        // a later grant resumes: the next fact builds the profile again
        try (KafkaProbe kafka = KafkaProbe.shared()) {
            kafka.send(Topics.CONSENT_CHANGE, subject, change(ENTRY.incrementAndGet(), subject, "profiling", ConsentChange.GRANTED,
                    now.plusSeconds(2)));
        }
        awaitRows("SELECT count(*) FROM consent_state WHERE subject_id = ? AND state = 'granted'", subject, 1);
        facts.click("link.click:" + subject + ":3", subject, new LinkClick("camp-1", "A", "l1", "https://example.com", now.plusSeconds(3)))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(column("SELECT event_id FROM interaction WHERE subject_id = ?", subject)).containsExactly("link.click:" + subject + ":3");
        assertThat(column("SELECT subject_id FROM profile WHERE subject_id = ?", subject)).hasSize(1);
    }

    static CloudEvent change(long entry, String subject, String purpose, String state, Instant at) {
        return CloudEvent.of(Topics.CONSENT_CHANGE, "consent:" + entry, "/sohbet/consent-service", at, subject,
                new ConsentChange(purpose, "whatsapp", state, "web-form", at));
    }

    private void awaitRows(String countSql, String subject, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        long found;
        do {
            found = Long.parseLong(column(countSql, subject).get(0));
            if (found == expected) {
                return;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        assertThat(found).as(countSql).isEqualTo(expected);
    }

    private void update(String sql, Object... values) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    private List<String> column(String sql, Object... values) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }
}
