package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/**
 * A self-service answer waiting to go out, a row of {@code self_service_reply}: the Cloud API body (recipient
 * included), sealed with a data key of its own wrapped by the master key; deleted once sent or given up.
 */
public class SelfServiceReply {

    /** An answer to a keyword or a tap. */
    public static final String ANSWER = "answer";
    /** The notice that an erasure is done, due once every service acknowledged it. */
    public static final String ERASURE_DONE = "erasure-done";

    public Long id;

    public String subjectId;

    public String kind;

    public String requestId;

    public String sealed;

    public String dataKey;

    public String masterKeyId;

    public boolean due;

    public Instant windowEndsAt;

    public Instant nextAttemptAt;

    public int attempts;

    public Instant createdAt;

    /** The answer a row of {@code self_service_reply} holds (every column, by its name). */
    public static SelfServiceReply from(Row row) {
        SelfServiceReply reply = new SelfServiceReply();
        reply.id = row.getLong("id");
        reply.subjectId = row.getString("subject_id");
        reply.kind = row.getString("kind");
        reply.requestId = row.getString("request_id");
        reply.sealed = row.getString("sealed");
        reply.dataKey = row.getString("data_key");
        reply.masterKeyId = row.getString("master_key_id");
        reply.due = row.getBoolean("due");
        reply.windowEndsAt = Database.instant(row, "window_ends_at");
        reply.nextAttemptAt = Database.instant(row, "next_attempt_at");
        reply.attempts = row.getInteger("attempts");
        reply.createdAt = Database.instant(row, "created_at");
        return reply;
    }
}
