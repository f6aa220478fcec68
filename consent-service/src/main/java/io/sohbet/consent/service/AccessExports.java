package io.sohbet.consent.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.client.SubjectExports;
import io.sohbet.consent.domain.AuditEntry;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.domain.DsrRequest;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.FieldDecryptionException;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gathers access requests: this service's own data about the subject (contact details, consent history with its
 * evidence, requests, the audit entries about it or naming it, such as who was handed its contact details) and every
 * other service's export, into one machine-readable document sealed with the subject's key; a subject without a key
 * (erased, or never seen) is given none, so the request completes without an export to open. Requests are claimed
 * with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work and a request left half-done by a crash is picked up
 * again.
 */
@ApplicationScoped
public class AccessExports {

    private static final Logger LOG = Logger.getLogger(AccessExports.class);

    private final Database database;
    private final DataSubjectRequests requests;
    private final IdentityVault identities;
    private final IdentifierLinks links;
    private final KeyVault keys;
    private final ConsentRecordRepository records;
    private final SubjectExports others;
    private final AuditLog audit;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    public AccessExports(Database database, DataSubjectRequests requests, IdentityVault identities, KeyVault keys,
            ConsentRecordRepository records, SubjectExports others, AuditLog audit, IdentifierLinks links) {
        this.database = database;
        this.requests = requests;
        this.identities = identities;
        this.links = links;
        this.keys = keys;
        this.records = records;
        this.others = others;
        this.audit = audit;
    }

    @Scheduled(every = "${sohbet.consent.access-poll:2s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> gatherNext() {
        // on the pool: the claim commits at once, before the other services are asked
        return database.pool().preparedQuery("UPDATE dsr_request SET status = 'in-progress' WHERE id = (SELECT id "
                        + "FROM dsr_request WHERE type = 'access' AND (status = 'received' OR (status = 'in-progress' "
                        + "AND received_at < now() - interval '10 minutes')) ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED) "
                        + "RETURNING id").execute()
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row row = rows.iterator().next();
                    return gather(row.getString("id"));
                })
                .onFailure().invoke(e -> LOG.warnf("gathering an access request failed, will retry: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    Uni<Void> gather(String requestId) {
        return requests.find(requestId).flatMap(request -> keys.find(Set.of(request.subjectId)).flatMap(found -> {
            String subject = request.subjectId;
            ObjectNode export = json.createObjectNode();
            export.put("subjectId", subject);
            export.put("request", requestId);
            export.put("generatedAt", Instant.now().toString());
            ObjectNode services = export.putObject("services");
            ObjectNode progress = json.createObjectNode();
            return own(subject, found.get(subject)).flatMap(mine -> {
                services.set("consent-service", mine);
                progress.set("consent-service", done());
                List<Uni<Void>> calls = new ArrayList<>();
                for (String service : others.services()) {
                    calls.add(others.export(service, subject).map(theirs -> {
                        synchronized (services) {
                            services.set(service, theirs);
                            progress.set(service, done());
                        }
                        return (Void) null;
                    }).onFailure().recoverWithItem(e -> {
                        synchronized (services) {
                            progress.set(service, json.createObjectNode().put("status", "failed")
                                    .put("at", Instant.now().toString()).put("error", e.getClass().getSimpleName()));
                        }
                        return null;
                    }));
                }
                return calls.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(calls).andCollectFailures().replaceWithVoid();
            }).flatMap(ignored -> {
                boolean complete = true;
                for (JsonNode p : progress) {
                    complete &= "done".equals(p.path("status").asText());
                }
                // no key (an erased subject, or one never seen): nothing is kept that could be opened
                byte[] key = found.get(subject);
                String sealed = key == null ? null : FieldCipher.encrypt(key, subject, export.toString());
                String status = complete ? DsrRequest.COMPLETED : DsrRequest.FAILED;
                return database.inTransaction(() -> requests.byId(requestId).flatMap(stored -> {
                    ObjectNode detail = requests.detailOf(stored);
                    detail.set("services", progress);
                    stored.detail = detail.toString();
                    stored.export = sealed;
                    stored.status = status;
                    stored.completedAt = Instant.now();
                    return database.update("UPDATE dsr_request SET detail = $2, export = $3, status = $4, "
                                    + "completed_at = $5 WHERE id = $1", stored.id, stored.detail, stored.export,
                                    stored.status, stored.completedAt)
                            .chain(() -> audit.append("consent-service", "dsr.access." + status, subject,
                                    Map.of("request", requestId, "services", progress.size())));
                })).replaceWithVoid();
            });
        }));
    }

    private ObjectNode done() {
        return json.createObjectNode().put("status", "done").put("at", Instant.now().toString());
    }

    /** What this service holds on the subject, in clear. */
    private Uni<ObjectNode> own(String subject, byte[] key) {
        return links.of(subject, key).flatMap(identifiers -> identities.open(Set.of(subject)).flatMap(contacts ->
                database.withConnection(() -> records.history(subject)
                .flatMap(history -> database.list("SELECT * FROM dsr_request WHERE subject_id = $1 "
                        + "ORDER BY received_at", DsrRequest::from, subject)
                        .flatMap(dsrs -> audit.naming(subject)
                                .map(entries -> {
                                    ObjectNode out = json.createObjectNode();
                                    IdentityVault.Contact contact = contacts.get(subject);
                                    out.set("contact", contact == null ? null : json.valueToTree(contact));
                                    // every identifier WhatsApp named the person by (phone, BSUID, parent BSUID, username)
                                    out.set("identifiers", json.valueToTree(identifiers));
                                    var consents = out.putArray("consents");
                                    for (ConsentRecord r : history) {
                                        ObjectNode c = consents.addObject();
                                        c.put("purpose", r.purpose).put("channel", r.channel).put("state", r.state)
                                                .put("source", r.source).put("noticeId", r.noticeId)
                                                .put("noticeVersion", r.noticeVersion).put("noticeSha256", r.noticeSha256)
                                                .put("capturedAt", r.capturedAt.toString()).put("recordedAt", r.recordedAt.toString())
                                                .put("recordedBy", r.recordedBy);
                                        c.set("evidence", evidence(key, subject, r.evidence));
                                    }
                                    // the state per purpose and channel: the latest captured entry (consents are in capture order)
                                    var current = out.putArray("currentConsents");
                                    for (ConsentRecord r : ConsentLedger.current(history)) {
                                        current.addObject().put("purpose", r.purpose).put("channel", r.channel)
                                                .put("state", r.state).put("source", r.source)
                                                .put("capturedAt", r.capturedAt.toString());
                                    }
                                    var list = out.putArray("requests");
                                    for (DsrRequest d : dsrs) {
                                        list.addObject().put("id", d.id).put("type", d.type).put("status", d.status)
                                                .put("receivedAt", d.receivedAt.toString())
                                                .put("completedAt", d.completedAt == null ? null : d.completedAt.toString());
                                    }
                                    var audited = out.putArray("auditEntries");
                                    for (AuditEntry e : entries) {
                                        audited.addObject().put("at", e.at.toString()).put("actor", e.actor).put("action", e.action)
                                                .put("client", client(e));
                                    }
                                    return out;
                                }))))));
    }

    /** The OIDC client an entry names (who was handed the subject's data), or null. */
    private String client(AuditEntry entry) {
        try {
            JsonNode client = json.readTree(entry.details).get("client");
            return client == null ? null : client.asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private JsonNode evidence(byte[] key, String subject, String sealed) {
        if (sealed == null || key == null) {
            return null;
        }
        try {
            String clear = FieldCipher.decrypt(key, subject, sealed);
            return clear.startsWith("{") ? json.readTree(clear) : json.getNodeFactory().textNode(clear);
        } catch (FieldDecryptionException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
