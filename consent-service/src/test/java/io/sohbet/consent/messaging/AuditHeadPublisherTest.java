package io.sohbet.consent.messaging;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sohbet.consent.service.AuditChain;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.AuditHead;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static io.sohbet.consent.Fixtures.grant;
import static io.sohbet.consent.Fixtures.officer;
import static io.sohbet.consent.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

/** The chain's head goes to audit.head on its schedule (2 s in tests) when it moved, and only then; a tombstone withdraws it. */
@QuarkusTest
class AuditHeadPublisherTest {

    @Inject
    AuditHeadPublisher publisher;

    @Inject
    AuditHeads heads;

    @Inject
    AuditLog audit;

    @Test
    void theNewestEntryIsPublishedOnScheduleAndNotAgainUntilTheChainMoves() throws InterruptedException {
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone(), "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        AuditChain.Link newest = audit.newest().await().atMost(Duration.ofSeconds(10));

        Optional<AuditHead> published = Optional.empty();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; Thread.sleep(250)) {
            published = heads.latest();
            if (published.isPresent() && published.get().seq() >= newest.seq()) {
                break;
            }
        }
        assertThat(published).as("a head published by the schedule").isPresent();
        AuditHead head = published.get();
        assertThat(head.service()).isEqualTo("consent-service");
        AuditChain.Link at = audit.newest().await().atMost(Duration.ofSeconds(10));
        if (head.seq() == newest.seq()) {
            assertThat(head.hash()).isEqualTo(newest.hash());
            assertThat(head.keyId()).isEqualTo(newest.keyId());
            assertThat(head.at()).isEqualTo(newest.at());
        }
        assertThat(head.seq()).isLessThanOrEqualTo(at.seq());

        // nothing moved since: nothing is published
        publisher.publishIfMoved();
        assertThat(publisher.publishIfMoved()).isNull();
        // it moved: the new head is published at once
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone(), "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        AuditHead next = publisher.publishIfMoved();
        AuditChain.Link moved = audit.newest().await().atMost(Duration.ofSeconds(10));
        if (next != null) {
            assertThat(next.seq()).isEqualTo(moved.seq());
            assertThat(next.hash()).isEqualTo(moved.hash());
        }
        assertThat(heads.latest()).get().satisfies(h -> {
            assertThat(h.seq()).isEqualTo(moved.seq());
            assertThat(h.hash()).isEqualTo(moved.hash());
        });
    }

    @Test
    void aTombstoneWithdrawsThePublishedHeads() throws Exception {
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone(), "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        publisher.publishIfMoved();
        assertThat(heads.latest()).isPresent();
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT_HEAD, "consent-service", null)).get();
        }
        assertThat(heads.latest()).isEmpty();
        // the next publication starts over (a replica that still remembers an older head walks from it)
        given().auth().oauth2(officer()).contentType(ContentType.JSON).body(grant(phone(), "marketing"))
                .when().post("/api/consents").then().statusCode(201);
        publisher.publishIfMoved();
        AuditChain.Link newest = audit.newest().await().atMost(Duration.ofSeconds(10));
        assertThat(heads.latest()).get().satisfies(h -> assertThat(h.seq()).isEqualTo(newest.seq()));
    }
}
