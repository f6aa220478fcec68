package io.sohbet.consent.rest;

import java.time.Instant;
import java.util.List;

/** A subject's consent: the current state per purpose and channel, and the whole append-only history. */
public record ConsentView(String subjectId, List<Entry> current, List<Entry> history) {

    /** One ledger entry; the evidence stays encrypted at rest and is shown only as present or not. */
    public record Entry(long id, String purpose, String channel, String state, String source, String noticeId,
            String noticeVersion, String noticeSha256, boolean evidence, String recordedBy, Instant capturedAt,
            Instant recordedAt) {
    }
}
