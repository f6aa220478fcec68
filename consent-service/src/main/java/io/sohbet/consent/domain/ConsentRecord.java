package io.sohbet.consent.domain;

import io.sohbet.consent.repository.Database;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** One entry of the append-only consent ledger (table {@code consent_record}): a grant or revocation with its proof. */
public class ConsentRecord {

    public Long id;

    public String subjectId;

    public String purpose;

    public String channel;

    public String state;

    public String source;

    public String noticeId;

    public String noticeVersion;

    public String noticeSha256;

    public String evidence;

    public String recordedBy;

    public Instant capturedAt;

    public Instant recordedAt;

    /** The entry a row of {@code consent_record} holds (every column). */
    public static ConsentRecord from(Row row) {
        ConsentRecord record = new ConsentRecord();
        record.id = row.getLong("id");
        record.subjectId = row.getString("subject_id");
        record.purpose = row.getString("purpose");
        record.channel = row.getString("channel");
        record.state = row.getString("state");
        record.source = row.getString("source");
        record.noticeId = row.getString("notice_id");
        record.noticeVersion = row.getString("notice_version");
        record.noticeSha256 = row.getString("notice_sha256");
        record.evidence = row.getString("evidence");
        record.recordedBy = row.getString("recorded_by");
        record.capturedAt = Database.instant(row, "captured_at");
        record.recordedAt = Database.instant(row, "recorded_at");
        return record;
    }
}
