package io.sohbet.consent.repository;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** The consent ledger's table, {@code consent_record}, in the context's transaction when there is one. */
@ApplicationScoped
public class ConsentRecordRepository {

    private final Database database;

    public ConsentRecordRepository(Database database) {
        this.database = database;
    }

    /** Inserts {@code record} (a new entry) and sets its {@link ConsentRecord#id}; returns it. */
    public Uni<ConsentRecord> persist(ConsentRecord record) {
        return database.first("INSERT INTO consent_record (subject_id, purpose, channel, state, source, notice_id, "
                        + "notice_version, notice_sha256, evidence, recorded_by, captured_at, recorded_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                row -> row.getLong("id"),
                record.subjectId, record.purpose, record.channel, record.state, record.source, record.noticeId,
                record.noticeVersion, record.noticeSha256, record.evidence, record.recordedBy, record.capturedAt,
                record.recordedAt)
                .map(id -> {
                    record.id = id;
                    return record;
                });
    }

    /**
     * The subject's whole history in the order the person made the choices: by capture time, entries captured at the
     * same instant in the order they were recorded.
     */
    public Uni<List<ConsentRecord>> history(String subjectId) {
        return database.list("SELECT * FROM consent_record WHERE subject_id = $1 ORDER BY captured_at, id",
                ConsentRecord::from, subjectId);
    }

    /**
     * Whether {@code record} (persisted) is its purpose and channel's current entry: none of the subject's entries for
     * them was captured later, nor at the same instant and recorded after it.
     */
    public Uni<Boolean> isCurrent(ConsentRecord record) {
        return database.count("SELECT count(*) FROM consent_record WHERE subject_id = $1 AND purpose = $2 "
                        + "AND channel = $3 AND (captured_at > $4 OR (captured_at = $4 AND id > $5))",
                record.subjectId, record.purpose, record.channel, record.capturedAt, record.id)
                .map(later -> later == 0);
    }

    /**
     * How many of the subject's entries have this purpose, channel, state, capture time and source (more than none: the
     * ledger holds that entry already).
     */
    public Uni<Long> countSame(String subjectId, String purpose, String channel, String state, Instant capturedAt,
            String source) {
        return database.count("SELECT count(*) FROM consent_record WHERE subject_id = $1 AND purpose = $2 "
                        + "AND channel = $3 AND state = $4 AND captured_at = $5 AND source = $6",
                subjectId, purpose, channel, state, capturedAt, source);
    }

    /** Deletes every entry of the subject (its erasure); how many rows were deleted. */
    public Uni<Long> deleteBySubject(String subjectId) {
        return database.update("DELETE FROM consent_record WHERE subject_id = $1", subjectId).map(Integer::longValue);
    }
}
