package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** A data-subject request (access, erasure, rectification, objection) and its outcome: table {@code dsr_request}. */
public class DsrRequest {

    public static final String RECEIVED = "received";
    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public String id;

    public String type;

    public String subjectId;

    public String status;

    public String requestedBy;

    /** Where the request came from: {@code api} (a privacy officer) or {@code whatsapp} (the person, self-service). */
    public String source = "api";

    public Instant receivedAt;

    public Instant dueAt;

    public Instant completedAt;

    /** JSON without personal data: what was done, per-service progress of an access request, failures. */
    public String detail;

    /** An access request's export, sealed with the subject's data key. */
    public String export;

    /** A request from a row of {@code dsr_request} (every column, as {@code SELECT *} returns them). */
    public static DsrRequest from(Row row) {
        DsrRequest request = new DsrRequest();
        request.id = row.getString("id");
        request.type = row.getString("type");
        request.subjectId = row.getString("subject_id");
        request.status = row.getString("status");
        request.requestedBy = row.getString("requested_by");
        request.source = row.getString("source");
        request.receivedAt = Database.instant(row, "received_at");
        request.dueAt = Database.instant(row, "due_at");
        request.completedAt = Database.instant(row, "completed_at");
        request.detail = row.getString("detail");
        request.export = row.getString("export");
        return request;
    }
}
