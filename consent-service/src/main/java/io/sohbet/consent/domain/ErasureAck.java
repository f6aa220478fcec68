package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A service's acknowledgement that it erased the subject of an erasure request: a row of table {@code erasure_ack}. */
public class ErasureAck {

    /** Columns {@code request_id} and {@code service}, the primary key. */
    public Key key;

    /** Column {@code subject_id}. */
    public String subjectId;

    /** Column {@code rows_affected}. */
    public long rowsAffected;

    /** Column {@code completed_at}. */
    public Instant completedAt;

    /** The acknowledgement in a row of {@code erasure_ack} (every column, by its name). */
    public static ErasureAck from(Row row) {
        ErasureAck ack = new ErasureAck();
        ack.key = new Key(row.getString("request_id"), row.getString("service"));
        ack.subjectId = row.getString("subject_id");
        ack.rowsAffected = row.getLong("rows_affected");
        ack.completedAt = Database.instant(row, "completed_at");
        return ack;
    }

    /** The primary key: the request and the service that acknowledged it. */
    public static class Key implements Serializable {

        /** Column {@code request_id}. */
        public String requestId;

        /** Column {@code service}. */
        public String service;

        public Key() {
        }

        public Key(String requestId, String service) {
            this.requestId = requestId;
            this.service = service;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(requestId, key.requestId)
                    && Objects.equals(service, key.service);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, service);
        }
    }
}
