package io.sohbet.consent.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.repository.Database;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The retention policy: deletes what no purpose needs any more, on a schedule (daily by default) and on demand.
 * Each rule is one set-based statement; the run and its counts go into the audit log and the log (counts only).
 * The consent ledger's current entries and the audit log are kept: they are the proof this service exists to hold.
 * The outbox needs no rule: the relay deletes each event once Kafka acknowledged it. Each rule of each run is written
 * as a KVKK destruction record ({@link DestructionRecords}); {@link RetentionSchedule} keeps the schedule within the
 * regulation's longest interval.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final Database database;
    private final ConsentConfig.Retention policy;
    private final AuditLog audit;
    private final DestructionRecords destructions;

    public Retention(Database database, ConsentConfig config, AuditLog audit, DestructionRecords destructions) {
        this.database = database;
        this.policy = config.retention();
        this.audit = audit;
        this.destructions = destructions;
    }

    @Scheduled(cron = "${sohbet.consent.retention.cron:0 20 3 * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run("retention-job", Instant.now()).replaceWithVoid()
                .onFailure().invoke(e -> LOG.errorf("retention run failed, next run retries: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** Applies every rule as of {@code now}; returns rule → rows deleted or anonymised. */
    public Uni<Map<String, Integer>> run(String actor, Instant now) {
        Map<String, Integer> report = new LinkedHashMap<>();
        return database.inTransaction(() -> apply(report, "accessExportsDeleted",
                "UPDATE dsr_request SET export = NULL WHERE export IS NOT NULL AND completed_at < $1", now, policy.accessExport())
                .chain(() -> apply(report, "contactsWithoutConsentDeleted",
                        "DELETE FROM identity i WHERE i.seen_at < $1 AND NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT ON "
                                + "(purpose, channel) state FROM consent_record c WHERE c.subject_id = i.subject_id "
                                + "ORDER BY purpose, channel, captured_at DESC, id DESC) latest WHERE latest.state = 'granted')",
                        now, policy.identityWithoutConsent()))
                // the same people's identifier links (phone, BSUIDs, username), each by when it was last seen
                .chain(() -> apply(report, "identifierLinksWithoutConsentDeleted",
                        "DELETE FROM subject_identifier s WHERE s.seen_at < $1 AND NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT ON "
                                + "(purpose, channel) state FROM consent_record c WHERE c.subject_id = s.subject_id "
                                + "ORDER BY purpose, channel, captured_at DESC, id DESC) latest WHERE latest.state = 'granted')",
                        now, policy.identityWithoutConsent()))
                .chain(() -> apply(report, "supersededEvidenceDeleted",
                        "UPDATE consent_record c SET evidence = NULL WHERE c.evidence IS NOT NULL AND c.recorded_at < $1 "
                                + "AND EXISTS (SELECT 1 FROM consent_record later WHERE later.subject_id = c.subject_id "
                                + "AND later.purpose = c.purpose AND later.channel = c.channel AND (later.captured_at > c.captured_at "
                                + "OR (later.captured_at = c.captured_at AND later.id > c.id)))",
                        now, policy.supersededEvidence()))
                .chain(() -> apply(report, "processedEventsDeleted", "DELETE FROM processed_event WHERE processed_at < $1",
                        now, policy.processedEvents()))
                .chain(() -> apply(report, "selfServiceMessagesDeleted", "DELETE FROM self_service_message WHERE handled_at < $1",
                        now, policy.processedEvents()))
                .chain(() -> apply(report, "expiredConfirmationsDeleted",
                        "DELETE FROM self_service_confirmation WHERE expires_at < $1", now, Duration.ZERO))
                .chain(() -> apply(report, "expiredPreferenceLinksDeleted",
                        "DELETE FROM preference_link WHERE expires_at < $1", now, Duration.ZERO))
                .chain(() -> audit.append(actor, "retention.run", null, report))
                .chain(() -> destructions.retentionRun(actor, report, Map.of("accessExportsDeleted", policy.accessExport().toString(),
                        "contactsWithoutConsentDeleted", policy.identityWithoutConsent().toString(),
                        "identifierLinksWithoutConsentDeleted", policy.identityWithoutConsent().toString(),
                        "supersededEvidenceDeleted", policy.supersededEvidence().toString(),
                        "processedEventsDeleted", policy.processedEvents().toString(),
                        "selfServiceMessagesDeleted", policy.processedEvents().toString(),
                        "expiredConfirmationsDeleted", "until the confirmation expired",
                        "expiredPreferenceLinksDeleted", "until the link expired")))
                .invoke(() -> LOG.infof("retention run: %s", report))
                .replaceWith(report));
    }

    private Uni<Void> apply(Map<String, Integer> report, String rule, String sql, Instant now, Duration keep) {
        Instant cutoff = now.minus(keep);
        return database.update(sql, cutoff).invoke(rows -> report.put(rule, rows)).replaceWithVoid();
    }
}
