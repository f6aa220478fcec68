package io.sohbet.events.payload;

import java.time.Instant;
import java.util.List;

/**
 * One retention run of a service that deleted or anonymised subject data ({@code privacy.destruction}), for the KVKK
 * destruction records consent-service keeps: what it destroyed, by dataset, in counts only (no subject ids).
 * {@code runId} is unique per service and run; {@code (service, runId)} makes a redelivery harmless.
 */
public record PrivacyDestruction(String runId, String service, Instant ranAt, List<Entry> entries) {

    /** The methods of the destruction regulation (art. 7): silme, yok etme, anonim hale getirme. */
    public static final String DELETION = "silme";
    public static final String ANONYMISATION = "anonim hale getirme";

    /**
     * What the run did to one dataset: its table (and columns), VERBİS data category, rows, method ({@link #DELETION}
     * or {@link #ANONYMISATION}), how, and the legal reason (the retention period that elapsed).
     */
    public record Entry(String dataset, String category, long records, String method, String technique, String legalReason) {
    }
}
