package io.sohbet.console.client;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the console reads from consent-service (only the fields it shows; see consent-service's OpenAPI). */
public final class ConsentViews {

    private ConsentViews() {
    }

    public record Deadlines(Instant kvkk, Instant gdpr) {
    }

    public record Progress(String service, String status, Instant at, Long rowsAffected, String error) {
    }

    public record Dsr(String id, String type, String subjectId, String status, String outcome, String requestedBy,
            Instant receivedAt, Deadlines deadlines, Instant dueAt, boolean overdue, Instant completedAt, Duration took,
            List<Progress> progress, String export) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DsrSubmission(String type, String phone, String country, String subjectId) {
    }

    /** consent-service's lookup by phone: the phone and, when it is written without its country code, the country. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lookup(String phone, String country) {
    }

    public record ConsentEntry(long id, String purpose, String channel, String state, String source, String noticeId,
            String noticeVersion, String noticeSha256, boolean evidence, String recordedBy, Instant capturedAt,
            Instant recordedAt) {
    }

    public record Consent(String subjectId, List<ConsentEntry> current, List<ConsentEntry> history) {
    }

    public record AuditEntry(Long seq, Instant at, String actor, String action, String subjectId, String hash) {
    }

    public record PublishedHead(Long seq, String hash, Instant at, String status) {
    }

    public record Verification(boolean valid, long checked, Long firstInvalidSeq, String problem, Long headSeq,
            String headHash, long legacyEntries, PublishedHead publishedHead) {
    }

    public record Destruction(long auditSeq, Instant at, String actor, String service, String dataset, String category,
            long records, String method, String technique, String trigger, String legalReason, String reference, String hash) {
    }

    public record IysChannel(String type, boolean enforce) {
    }

    public record IysProblem(long ledgerEntry, String subjectId, String channel, String status, String state, String reason,
            int attempts, Instant consentDate, Instant deadline) {
    }

    public record IysBackfill(String channel, String state, long upTo, long after, long queued, long inIys, long skipped,
            String startedBy, Instant startedAt, Instant finishedAt) {
    }

    public record IysReport(boolean enabled, Map<String, IysChannel> channels, Map<String, Long> records, long overdue,
            long dueWithinADay, Instant feedReadAt, List<IysProblem> problems, List<IysBackfill> backfill) {

        public IysReport {
            channels = channels == null ? Map.of() : new java.util.TreeMap<>(channels);
            records = records == null ? Map.of() : new java.util.TreeMap<>(records);
            problems = problems == null ? List.of() : problems;
            backfill = backfill == null ? List.of() : backfill;
        }
    }
}
