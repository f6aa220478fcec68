package io.sohbet.consent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.DsrRequest;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.payload.PrivacyDestruction;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KVKK destruction records (Regulation on the Deletion, Destruction or Anonymisation of Personal Data, RG 28.10.2017
 * no. 30224, art. 7 and 11): every deletion, destruction and anonymisation, by a retention rule or by an erasure request
 * (crypto-shredding of the subject's data key included), and every retention run of another service that destroyed
 * something ({@code privacy.destruction}, {@link #reported}), is written as an entry {@value #ACTION} of the audit chain
 * ({@link AuditLog}) in the transaction that deletes: what category, how many records, which method, the legal reason,
 * when and by whom, and no personal data. The chain makes them tamper-evident; no retention rule deletes audit entries
 * and the service's database role cannot, so they are kept for good, beyond the 3 years required.
 */
@ApplicationScoped
public class DestructionRecords {

    /** The action of a destruction record's audit entry. */
    public static final String ACTION = "kvkk.destruction";
    public static final String DELETION = "silme";
    public static final String DESTRUCTION = "yok etme";
    public static final String ANONYMISATION = "anonim hale getirme";

    static final String BY_RULE = "KVKK m.7 and the destruction regulation art. 11 (periodic destruction): "
            + "the retention period of the policy elapsed (%s)";
    static final String BY_REQUEST = "KVKK m.7, m.11/1-e and m.13: the data subject's erasure request %s";

    /** What a retention rule deletes: the dataset, its VERBİS category, method and how it is done. */
    record Dataset(String dataset, String category, String method, String technique) {
    }

    static final Map<String, Dataset> RULES = Map.of(
            "accessExportsDeleted", new Dataset("dsr_request.export", "Kimlik, İletişim, Müşteri İşlem, Pazarlama", DELETION,
                    "encrypted access exports set to NULL"),
            "contactsWithoutConsentDeleted", new Dataset("identity", "Kimlik, İletişim", DELETION,
                    "contact details of subjects without a granted consent deleted"),
            "identifierLinksWithoutConsentDeleted", new Dataset("subject_identifier", "Kimlik, İletişim", DELETION,
                    "identifier links (phone, business-scoped user ids, username) of subjects without a granted consent deleted"),
            "supersededEvidenceDeleted", new Dataset("consent_record.evidence", "Pazarlama", DELETION,
                    "evidence of superseded consent entries set to NULL"),
            "processedEventsDeleted", new Dataset("processed_event", "İşlem Güvenliği", DELETION,
                    "redelivery-protection records deleted"),
            "selfServiceMessagesDeleted", new Dataset("self_service_message", "İşlem Güvenliği", DELETION,
                    "records of handled self-service messages deleted"),
            "expiredConfirmationsDeleted", new Dataset("self_service_confirmation", "Müşteri İşlem", DELETION,
                    "expired erasure confirmations deleted"),
            "expiredPreferenceLinksDeleted", new Dataset("preference_link", "Müşteri İşlem", DELETION,
                    "expired preference-page links (hashes of their tokens and sessions) deleted"));

    /** What an erasure deletes or destroys in consent-service, by the count it keeps in the request's detail. */
    static final Map<String, Dataset> ERASURE = new LinkedHashMap<>();

    static {
        ERASURE.put("identityRows", new Dataset("identity", "Kimlik, İletişim", DELETION, "contact details deleted"));
        ERASURE.put("keyRows", new Dataset("subject_key", "Kimlik, İletişim, Müşteri İşlem, Pazarlama", DESTRUCTION,
                "crypto-shredding: the subject's data key destroyed, every copy encrypted with it in any service, "
                        + "topic or backup becomes unreadable"));
        ERASURE.put("identifierRows", new Dataset("subject_identifier", "Kimlik, İletişim", DELETION,
                "identifier links (phone, business-scoped user ids, username) deleted"));
        ERASURE.put("consentRows", new Dataset("consent_record", "Pazarlama", DELETION, "consent entries and their evidence deleted"));
        ERASURE.put("selfServiceRows", new Dataset("self_service_message, self_service_confirmation, self_service_reply",
                "Müşteri İşlem", DELETION, "the person's self-service messages handled, confirmations offered and answers "
                        + "not sent yet deleted (the erasure notice is deleted once sent, before the erasure completes)"));
        ERASURE.put("preferenceLinkRows", new Dataset("preference_link", "Müşteri İşlem", DELETION,
                "the person's preference-page links deleted, used or not"));
        ERASURE.put("accessExportsDeleted", new Dataset("dsr_request.export", "Kimlik, İletişim, Müşteri İşlem, Pazarlama",
                DELETION, "encrypted access exports set to NULL"));
    }

    private final AuditLog audit;
    private final Database database;
    private final ObjectMapper json = new ObjectMapper();

    public DestructionRecords(AuditLog audit, Database database) {
        this.audit = audit;
        this.database = database;
    }

    /** One record, as the report lists it. */
    public record Destruction(long auditSeq, Instant at, String actor, String service, String dataset, String category,
            long records, String method, String technique, String trigger, String legalReason, String reference, String hash) {
    }

    /** Records a retention run's rules (every rule, also those that found nothing); call inside its transaction. */
    public Uni<Void> retentionRun(String actor, Map<String, Integer> deleted, Map<String, String> keptFor) {
        Uni<Void> written = Uni.createFrom().voidItem();
        for (Map.Entry<String, Integer> rule : deleted.entrySet()) {
            Dataset d = RULES.get(rule.getKey());
            if (d == null) {
                throw new IllegalStateException("retention rule " + rule.getKey() + " has no destruction category");
            }
            written = written.chain(() -> record(actor, "consent-service", d, rule.getValue(), "retention-rule",
                    String.format(BY_RULE, rule.getKey() + ": " + keptFor.get(rule.getKey())), rule.getKey()));
        }
        return written;
    }

    /** Records what an erasure request deleted and destroyed in consent-service; call inside its transaction. */
    public Uni<Void> erasure(DsrRequest request, String actor) {
        JsonNode detail = read(request.detail);
        Uni<Void> written = Uni.createFrom().voidItem();
        for (Map.Entry<String, Dataset> count : ERASURE.entrySet()) {
            written = written.chain(() -> record(actor, "consent-service", count.getValue(), detail.path(count.getKey()).asLong(),
                    "erasure-request", String.format(BY_REQUEST, request.id), request.id));
        }
        return written;
    }

    /** Records a participant's acknowledged erasure (the rows it deleted or anonymised); call inside its transaction. */
    public Uni<Void> acknowledged(String requestId, String service, long rows) {
        return record(service, service, new Dataset(service + " subject data", "Müşteri İşlem, Pazarlama", DELETION,
                        "the service's rows about the subject deleted, or anonymised into aggregates (its data inventory)"),
                rows, "erasure-request", String.format(BY_REQUEST, requestId), requestId);
    }

    /**
     * Records another service's retention run ({@code privacy.destruction}) once: by that service, one record per dataset,
     * referenced by the run id. A redelivered run adds nothing: (service, run id) is looked up under a transaction-scoped
     * advisory lock on that key, so two deliveries at once cannot both write. Call inside a transaction; true when
     * written, false when recorded before.
     */
    public Uni<Boolean> reported(PrivacyDestruction run) {
        return database.count("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS locked",
                        "destruction:" + run.service() + ":" + run.runId())
                .chain(() -> database.count("SELECT count(*) FROM audit_entry WHERE action = $1 "
                                + "AND CAST(details AS jsonb) ->> 'service' = $2 "
                                + "AND CAST(details AS jsonb) ->> 'reference' = $3",
                        ACTION, run.service(), run.runId()))
                .flatMap(existing -> {
                    if (existing > 0) {
                        return Uni.createFrom().item(false);
                    }
                    Uni<Void> written = Uni.createFrom().voidItem();
                    for (PrivacyDestruction.Entry e : run.entries()) {
                        written = written.chain(() -> record(run.service(), run.service(),
                                new Dataset(e.dataset(), e.category(), e.method(), e.technique()), e.records(), "retention-rule",
                                e.legalReason(), run.runId()));
                    }
                    return written.replaceWith(true);
                });
    }

    private Uni<Void> record(String actor, String service, Dataset d, long records, String trigger, String reason, String ref) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", service);
        details.put("dataset", d.dataset());
        details.put("category", d.category());
        details.put("records", records);
        details.put("method", d.method());
        details.put("technique", d.technique());
        details.put("trigger", trigger);
        details.put("legalReason", reason);
        details.put("reference", ref);
        return audit.append(actor, ACTION, null, details).replaceWithVoid();
    }

    /** The records written in [from, to), oldest first: the periodic destruction report. */
    public Uni<List<Destruction>> between(Instant from, Instant to) {
        // on the pool: the report reads committed records, outside any transaction of the caller's
        return database.pool().preparedQuery("SELECT seq, at, actor, details, hash FROM audit_entry WHERE action = $1 "
                        + "AND at >= $2 AND at < $3 ORDER BY seq")
                .execute(Database.tuple(ACTION, from, to))
                .map(rows -> {
                    List<Destruction> out = new ArrayList<>();
                    for (Row row : rows) {
                        JsonNode d = read(row.getString("details"));
                        out.add(new Destruction(row.getLong("seq"), row.getOffsetDateTime("at").toInstant(),
                                row.getString("actor"), d.path("service").asText(), d.path("dataset").asText(),
                                d.path("category").asText(), d.path("records").asLong(), d.path("method").asText(),
                                d.path("technique").asText(), d.path("trigger").asText(), d.path("legalReason").asText(),
                                d.path("reference").asText(), row.getString("hash")));
                    }
                    return out;
                });
    }

    private JsonNode read(String value) {
        try {
            return value == null ? json.createObjectNode() : json.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
