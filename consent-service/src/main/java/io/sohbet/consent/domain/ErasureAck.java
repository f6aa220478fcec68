package io.sohbet.consent.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A service's acknowledgement that it erased the subject of an erasure request. */
@Entity
@Table(name = "erasure_ack")
public class ErasureAck extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "subject_id", nullable = false)
    public String subjectId;

    @Column(name = "rows_affected", nullable = false)
    public long rowsAffected;

    @Column(name = "completed_at", nullable = false)
    public Instant completedAt;

    @Embeddable
    public static class Key implements Serializable {

        @Column(name = "request_id")
        public String requestId;

        public String service;

        public Key() {
        }

        public Key(String requestId, String service) {
            this.requestId = requestId;
            this.service = service;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(requestId, key.requestId) && Objects.equals(service, key.service);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, service);
        }
    }
}
