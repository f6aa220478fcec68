package io.sohbet.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.domain.DsrRequest;
import io.sohbet.consent.domain.ErasureAck;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.repository.ErasureAckRepository;
import io.sohbet.consent.rest.ConsentRequest;
import io.sohbet.events.FieldCipher;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Data-subject requests. Erasure, rectification and objection take effect in the transaction that records them;
 * erasure then waits for every participating service's acknowledgement; an access request is gathered from every
 * service by {@link AccessExports}. Requests are kept as proof; they hold no personal data in clear.
 */
@ApplicationScoped
public class DataSubjectRequests {

    public static final String ACCESS = "access";
    public static final String ERASURE = "erasure";
    public static final String RECTIFICATION = "rectification";
    public static final String OBJECTION = "objection";
    /** The detail key of what a request that takes effect at once changed: {@link #CHANGED} or {@link #UNCHANGED}. */
    public static final String OUTCOME = "outcome";
    /** A rectification that gave at least one field a new value. */
    public static final String CHANGED = "changed";
    /** A rectification whose values the vault held already: completed, nothing to change. */
    public static final String UNCHANGED = "unchanged";
    /** KVKK art. 13: thirty days. */
    static final Duration KVKK = Duration.ofDays(30);

    private final Database database;
    private final ConsentRecordRepository records;
    private final ErasureAckRepository acks;
    private final IdentityVault identities;
    private final KeyVault keys;
    private final ConsentLedger ledger;
    private final Outbox outbox;
    private final AuditLog audit;
    private final ErasureLock lock;
    private final io.sohbet.consent.iys.IysErasure iys;
    private final List<String> participants;
    private final DestructionRecords destructions;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    public DataSubjectRequests(Database database, ConsentRecordRepository records, ErasureAckRepository acks,
            IdentityVault identities, KeyVault keys, ConsentLedger ledger, Outbox outbox, AuditLog audit,
            ErasureLock lock, ConsentConfig config, DestructionRecords destructions,
            io.sohbet.consent.iys.IysErasure iys) {
        this.database = database;
        this.lock = lock;
        this.destructions = destructions;
        this.iys = iys;
        this.records = records;
        this.acks = acks;
        this.identities = identities;
        this.keys = keys;
        this.ledger = ledger;
        this.outbox = outbox;
        this.audit = audit;
        this.participants = List.copyOf(config.erasureParticipants());
    }

    /** A request as stored, and whether this call created it (false: an identical erasure already existed). */
    public record Submitted(DsrRequest request, boolean created) {
    }

    /** New name and e-mail for a rectification; a phone number cannot change (a new phone is a new subject). */
    public record Changes(String name, String email) {
    }

    /** KVKK art. 13: thirty days after the request. */
    public static Instant kvkkDeadline(Instant received) {
        return received.plus(KVKK);
    }

    /** GDPR art. 12(3): one month after the request. */
    public static Instant gdprDeadline(Instant received) {
        return received.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
    }

    /** The earlier of the two legal deadlines is the one that is due. */
    public static Instant dueAt(Instant received) {
        Instant kvkk = kvkkDeadline(received);
        Instant gdpr = gdprDeadline(received);
        return kvkk.isBefore(gdpr) ? kvkk : gdpr;
    }

    /** Where a request came from: the API (a privacy officer), or the person over WhatsApp ({@code SelfService}). */
    public static final String SOURCE_API = "api";
    public static final String SOURCE_WHATSAPP = "whatsapp";

    public Uni<Submitted> submit(String type, String subject, Changes changes, String actor) {
        return submit(type, subject, changes, actor, SOURCE_API);
    }

    /**
     * A request from {@code source} ({@link #SOURCE_API} or {@link #SOURCE_WHATSAPP}); joins the caller's transaction
     * when there is one.
     */
    public Uni<Submitted> submit(String type, String subject, Changes changes, String actor, String source) {
        return database.inTransaction(() -> lock.hold(subject).chain(() -> switch (type) {
            case ERASURE -> erase(subject, actor, source);
            case RECTIFICATION -> rectify(subject, changes, actor);
            case OBJECTION -> object(subject, actor);
            case ACCESS -> create(ACCESS, subject, actor, DsrRequest.RECEIVED, Map.of(), source)
                    .call(r -> audit.append(actor, "dsr.access.received", subject, Map.of("request", r.id)))
                    .map(r -> new Submitted(r, true));
            default -> throw new IllegalArgumentException("unknown request type " + type);
        }));
    }

    public Uni<DsrRequest> find(String id) {
        return database.withConnection(() -> byId(id));
    }

    /** The request with that id, or null; on the context's connection (in its transaction, when there is one). */
    Uni<DsrRequest> byId(String id) {
        return database.first("SELECT * FROM dsr_request WHERE id = $1", DsrRequest::from, id);
    }

    public Uni<List<DsrRequest>> list(String subject, String status, int limit) {
        StringBuilder query = new StringBuilder("SELECT * FROM dsr_request WHERE 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (subject != null) {
            params.add(subject);
            query.append(" AND subject_id = $").append(params.size());
        }
        if (status != null) {
            params.add(status);
            query.append(" AND status = $").append(params.size());
        }
        params.add(limit);
        query.append(" ORDER BY received_at DESC LIMIT $").append(params.size());
        return database.withConnection(() -> database.list(query.toString(), DsrRequest::from, params.toArray()));
    }

    /** The acknowledgements received for an erasure request. */
    public Uni<List<ErasureAck>> acknowledgements(String requestId) {
        return database.withConnection(() -> acks.forRequest(requestId));
    }

    public List<String> participants() {
        return participants;
    }

    /**
     * Completes an erasure once every participant has acknowledged it; call inside the ack's transaction. An erasure
     * the person asked for over WhatsApp is completed only once they were told ({@code SelfServiceReplies} sends the
     * notice waiting for it, deletes it and then calls {@link #complete}), so that a completed erasure leaves nothing of
     * the person, not even the number the notice went to.
     */
    public Uni<Void> acknowledged(String requestId) {
        return byId(requestId).flatMap(request -> {
            if (request == null || !DsrRequest.IN_PROGRESS.equals(request.status)) {
                return Uni.createFrom().voidItem();
            }
            return acks.forRequest(requestId).flatMap(received -> {
                Set<String> done = new java.util.HashSet<>();
                received.forEach(ack -> done.add(ack.key.service));
                if (!done.containsAll(participants)) {
                    return Uni.createFrom().voidItem();
                }
                return database.update("UPDATE self_service_reply SET due = true, next_attempt_at = CASE WHEN due "
                                + "THEN next_attempt_at ELSE now() END WHERE request_id = $1", requestId)
                        .flatMap(noticeWaits -> noticeWaits > 0 ? Uni.createFrom().voidItem()
                                : completed(request, Map.of("request", request.id, "services", done.size())));
            });
        });
    }

    /**
     * Completes an erasure whose services all acknowledged and whose person's notice was sent or given up
     * ({@code details}: the audit entry's, with how the notice went); call inside a transaction.
     */
    public Uni<Void> complete(String requestId, Map<String, ?> details) {
        return byId(requestId).flatMap(request -> request == null
                || !DsrRequest.IN_PROGRESS.equals(request.status) ? Uni.createFrom().voidItem() : completed(request, details));
    }

    private Uni<Void> completed(DsrRequest request, Map<String, ?> details) {
        request.status = DsrRequest.COMPLETED;
        request.completedAt = Instant.now();
        return database.update("UPDATE dsr_request SET status = $2, completed_at = $3 WHERE id = $1", request.id,
                        request.status, request.completedAt)
                .chain(() -> audit.append("consent-service", "dsr.erasure.completed", request.subjectId, details))
                .replaceWithVoid();
    }

    /**
     * An access request's export in clear; audited before it is handed out, as every read of personal data: who (user
     * and OIDC client), which request and how many services' data. Null when it is not ready or no longer kept.
     */
    public Uni<JsonNode> export(DsrRequest request, Caller caller) {
        if (request.export == null) {
            return Uni.createFrom().nullItem();
        }
        return keys.find(Set.of(request.subjectId)).flatMap(found -> {
            byte[] key = found.get(request.subjectId);
            if (key == null) {
                return Uni.createFrom().nullItem();
            }
            JsonNode export = read(FieldCipher.decrypt(key, request.subjectId, request.export));
            JsonNode services = export.path("services");
            return audit.appendRead(caller, "dsr.access.export-read", request.subjectId, List.of(),
                    Map.of("request", request.id, "services", services.size())).replaceWith(export);
        });
    }

    private Uni<Submitted> erase(String subject, String actor, String source) {
        return latestErasure(subject)
                .flatMap(latest -> holdsData(subject).flatMap(holds -> {
                    boolean stillRunning = latest != null && !DsrRequest.COMPLETED.equals(latest.status);
                    if (stillRunning || (latest != null && !holds)) {
                        return Uni.createFrom().item(new Submitted(latest, false));
                    }
                    String status = participants.isEmpty() ? DsrRequest.COMPLETED : DsrRequest.IN_PROGRESS;
                    // İYS keeps its own record: a RET for each ONAY there, queued while the number is still readable
                    return iys.beforeErasure(subject).flatMap(iysRets -> identities.forget(subject)
                            .call(() -> forgetDedupeRecords(subject)).flatMap(identityRows -> forgetSelfService(subject, null)
                            .flatMap(selfServiceRows -> forgetPreferenceLinks(subject).flatMap(preferenceLinkRows -> deleteKey(subject)
                            .flatMap(keyRows -> records.deleteBySubject(subject)
                                    .flatMap(consentRows -> rememberErasedBusinessScopedUserIds(subject)
                                    .chain(() -> forgetIdentifiers(subject, null)).flatMap(identifierRows ->
                                            deleteAccessExports(subject)
                                            .flatMap(exports -> create(ERASURE, subject, actor, status, Map.of(
                                                    "identityRows", identityRows, "keyRows", keyRows,
                                                    "consentRows", consentRows, "identifierRows", identifierRows,
                                                    "accessExportsDeleted", exports, "participants", participants,
                                                    "iysRets", iysRets, "selfServiceRows", selfServiceRows,
                                                    "preferenceLinkRows", preferenceLinkRows), source)))))))))
                            .call(request -> outbox.erasureRequested(request.id, subject, request.receivedAt))
                            .call(request -> destructions.erasure(request, actor))
                            .call(request -> audit.append(actor, "dsr.erasure.received", subject,
                                    Map.of("request", request.id)))
                            .map(request -> new Submitted(request, true));
                }));
    }

    /** The subject's latest erasure request, or null. */
    private Uni<DsrRequest> latestErasure(String subject) {
        return database.first("SELECT * FROM dsr_request WHERE subject_id = $1 AND type = $2 ORDER BY received_at DESC "
                + "LIMIT 1", DsrRequest::from, subject, ERASURE);
    }

    /** Empties the export of every request of the subject (the requests stay, as proof); the number of requests. */
    private Uni<Integer> deleteAccessExports(String subject) {
        return database.update("UPDATE dsr_request SET export = NULL WHERE subject_id = $1", subject);
    }

    /**
     * Announces every erasure completed since {@code since} (and every one still in progress) again, with its original
     * event id, for use after a
     * participant's database was restored from a backup: a participant whose restored database no longer records the
     * request erases again, the others acknowledge it again and nothing more (acknowledgements of a completed request
     * are ignored here). What a restore of this database may have brought back about the subjects from before their
     * erasure (contact details, keys, consent entries) is deleted again; what a person who came back gave since stays.
     * Each erasure is replayed in its own transaction under its subject's lock (so a replay of any size holds one
     * advisory lock at a time); a replay that fails half-way can simply be run again. Audited at the end; the number
     * of erasures announced.
     */
    public Uni<Integer> replayErasures(Instant since, String actor) {
        return database.withConnection(() -> database.list("SELECT id, subject_id, received_at FROM dsr_request "
                        + "WHERE type = $1 AND (completed_at IS NULL OR completed_at >= $2) ORDER BY received_at",
                        row -> new Replayed(row.getString("id"), row.getString("subject_id"),
                                Database.instant(row, "received_at")),
                        ERASURE, since))
                .flatMap(erasures -> io.smallrye.mutiny.Multi.createFrom().iterable(erasures)
                        .onItem().transformToUniAndConcatenate(erasure -> replay(erasure)
                                .replaceWith(erasure.id())) // a Uni<Void> emits no item into the Multi
                        .collect().asList().map(List::size))
                .call(count -> database.inTransaction(() -> audit.append(actor, "dsr.erasure.replayed", null,
                        Map.of("since", since.toString(), "erasures", count))));
    }

    /** An erasure to replay, read before the replay's transactions begin. */
    private record Replayed(String id, String subjectId, Instant receivedAt) {
    }

    /** Replays one erasure, in a transaction of its own under its subject's lock. */
    private Uni<Void> replay(Replayed erasure) {
        return database.inTransaction(() -> lock.hold(erasure.subjectId())
                .chain(() -> forgetFromBefore(erasure.subjectId(), erasure.receivedAt()))
                .chain(() -> outbox.erasureRequested(erasure.id(), erasure.subjectId(), erasure.receivedAt())));
    }

    private Uni<Submitted> rectify(String subject, Changes changes, String actor) {
        if (changes == null || (changes.name() == null && changes.email() == null)) {
            return Uni.createFrom().failure(new ConsentRuleException("/changes", "name or email is required for a rectification"));
        }
        return holdsData(subject).flatMap(holds -> {
            if (!holds) {
                return Uni.createFrom().failure(new UnknownSubjectException());
            }
            // the person's own correction wins over any detail held, whatever its time (a shop event dated ahead included)
            return identities.rectify(subject, new IdentityVault.Contact(null, changes.name(), changes.email())).flatMap(changed -> {
                        List<String> fields = new java.util.ArrayList<>();
                        if (changes.name() != null) {
                            fields.add("name");
                        }
                        if (changes.email() != null) {
                            fields.add("email");
                        }
                        String outcome = changed.isEmpty() ? UNCHANGED : CHANGED;
                        Map<String, Object> detail = new LinkedHashMap<>();
                        detail.put("fields", fields);
                        detail.put("changedFields", fields.stream().filter(changed::contains).toList());
                        detail.put(OUTCOME, outcome);
                        return create(RECTIFICATION, subject, actor, DsrRequest.COMPLETED, detail)
                                .call(r -> audit.append(actor, "dsr.rectification", subject, Map.of("request", r.id, "fields", fields)));
                    }).map(r -> new Submitted(r, true));
        });
    }

    /**
     * An objection revokes marketing; one whose current marketing entry is a revocation already changes nothing, records
     * no entry and says so ({@link #UNCHANGED}).
     */
    private Uni<Submitted> object(String subject, String actor) {
        ConsentRequest revoke = new ConsentRequest(null, "marketing", "whatsapp", "revoked", "objection", null, null, null);
        return ledger.history(subject).flatMap(history -> {
            ConsentRecord current = history.stream().filter(e -> "marketing".equals(e.purpose) && "whatsapp".equals(e.channel))
                    .max(Comparator.comparing((ConsentRecord e) -> e.capturedAt).thenComparing(e -> e.id)).orElse(null);
            Uni<Map<String, Object>> detail = current != null && "revoked".equals(current.state)
                    ? Uni.createFrom().item(Map.<String, Object>of("consentEntry", current.id, OUTCOME, UNCHANGED))
                    : ledger.append(subject, revoke, actor).map(entry -> Map.<String, Object>of("consentEntry", entry.id, OUTCOME, CHANGED));
            return detail.flatMap(d -> create(OBJECTION, subject, actor, DsrRequest.COMPLETED, d));
        }).call(r -> audit.append(actor, "dsr.objection", subject, Map.of("request", r.id)))
                .map(r -> new Submitted(r, true));
    }

    private Uni<DsrRequest> create(String type, String subject, String actor, String status, Map<String, ?> detail) {
        return create(type, subject, actor, status, detail, SOURCE_API);
    }

    private Uni<DsrRequest> create(String type, String subject, String actor, String status, Map<String, ?> detail,
            String source) {
        DsrRequest request = new DsrRequest();
        request.source = source;
        request.id = UUID.randomUUID().toString();
        request.type = type;
        request.subjectId = subject;
        request.status = status;
        request.requestedBy = actor;
        request.receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        request.dueAt = dueAt(request.receivedAt);
        request.completedAt = DsrRequest.COMPLETED.equals(status) ? request.receivedAt : null;
        request.detail = write(detail);
        return database.update("INSERT INTO dsr_request (id, type, subject_id, status, requested_by, source, "
                        + "received_at, due_at, completed_at, detail, export) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                request.id, request.type, request.subjectId, request.status, request.requestedBy, request.source,
                request.receivedAt, request.dueAt, request.completedAt, request.detail, request.export)
                .replaceWith(request);
    }

    /** Whether anything here is still about the subject: vault entry, key, consent entries or identifier links. */
    private Uni<Boolean> holdsData(String subject) {
        return database.count("SELECT (SELECT count(*) FROM identity WHERE subject_id = $1) "
                        + "+ (SELECT count(*) FROM subject_key WHERE subject_id = $1) "
                        + "+ (SELECT count(*) FROM consent_record WHERE subject_id = $1) "
                        + "+ (SELECT count(*) FROM subject_identifier WHERE subject_id = $1 OR id_hash = $1)", subject)
                .map(count -> count > 0);
    }

    /**
     * Deletes what a restore may have brought back about a subject from before its erasure: contact details, key and
     * consent entries older than the erasure. What a person who came back gave since stays.
     */
    private Uni<Void> forgetFromBefore(String subject, Instant erasedAt) {
        return database.update("DELETE FROM identity WHERE subject_id = $1 AND updated_at <= $2", subject, erasedAt)
                .chain(() -> database.update("DELETE FROM subject_key WHERE subject_id = $1 AND created_at <= $2",
                        subject, erasedAt))
                // and the preference-page links issued before, in the same statement (a replay runs thousands of these)
                .chain(() -> database.update("WITH links AS (DELETE FROM preference_link WHERE subject_id = $1 "
                                + "AND created_at <= $2) "
                                + "DELETE FROM consent_record WHERE subject_id = $1 AND captured_at <= $2",
                        subject, erasedAt))
                .chain(() -> forgetIdentifiers(subject, erasedAt))
                .chain(() -> forgetDedupeRecords(subject))
                .chain(() -> forgetSelfService(subject, erasedAt))
                .replaceWithVoid();
    }

    /**
     * Records the keyed hashes of the subject's BSUIDs as erased now (table {@code erased_identifier}): such a hash is
     * also the subject id a webhook derives from the BSUID alone, so once the links are gone a late BSUID-only event of
     * the person (Meta's retry) is dropped as about an erased person instead of starting a new one.
     */
    private Uni<Integer> rememberErasedBusinessScopedUserIds(String subject) {
        return database.update("INSERT INTO erased_identifier (id_hash, erased_at) "
                + "SELECT id_hash, now() FROM subject_identifier WHERE subject_id = $1 AND kind = 'bsuid' "
                + "ON CONFLICT (id_hash) DO UPDATE SET erased_at = EXCLUDED.erased_at", subject);
    }

    /**
     * The subject's identifier links ({@link IdentifierLinks}, table {@code subject_identifier}): every row linked to it
     * and every row whose keyed hash is its id (its phone, linked to someone else); {@code before}: only those written at
     * or before it. The number of rows deleted.
     */
    private Uni<Integer> forgetIdentifiers(String subject, Instant before) {
        return before == null
                ? database.update("DELETE FROM subject_identifier WHERE subject_id = $1 OR id_hash = $1", subject)
                : database.update("DELETE FROM subject_identifier WHERE (subject_id = $1 OR id_hash = $1) "
                        + "AND updated_at <= $2", subject, before);
    }

    /**
     * The consumers' dedupe records whose event ids name the subject ({@code wa.preference:<subject>:…},
     * {@code wa.contact:<subject>:…}): after an erasure nothing outside the proof of the request may point to the person.
     */
    private Uni<Integer> forgetDedupeRecords(String subject) {
        return database.update("DELETE FROM processed_event "
                + "WHERE starts_with(event_id, 'wa.preference:' || $1::text || ':') "
                + "OR starts_with(event_id, 'wa.contact:' || $1::text || ':')", subject);
    }

    /**
     * The person's self-service records ({@code SelfService}): handled messages, confirmations offered, answers not sent
     * yet; all but the notice that tells them their erasure is done, deleted once sent (before the erasure completes).
     * The number of rows deleted.
     */
    private Uni<Integer> forgetSelfService(String subject, Instant before) {
        // before: only what was written at or before then (a replay after a restore; what a person who came back gave
        // since stays)
        String upTo = before == null ? "" : " AND %s <= $2";
        Object[] parameters = before == null ? new Object[] {subject} : new Object[] {subject, before};
        return database.update("DELETE FROM self_service_message WHERE subject_id = $1" + upTo.formatted("handled_at"),
                        parameters)
                .flatMap(messages -> database.update("DELETE FROM self_service_confirmation WHERE subject_id = $1"
                        + upTo.formatted("created_at"), parameters).map(confirmations -> messages + confirmations))
                .flatMap(rows -> database.update("DELETE FROM self_service_reply WHERE subject_id = $1 "
                        + "AND request_id IS NULL" + upTo.formatted("created_at"), parameters)
                        .map(replies -> rows + replies));
    }

    /** The person's preference-page links ({@link PreferenceLinks}), used or not; the number deleted. */
    private Uni<Integer> forgetPreferenceLinks(String subject) {
        return database.update("DELETE FROM preference_link WHERE subject_id = $1", subject);
    }

    private Uni<Integer> deleteKey(String subject) {
        return database.update("DELETE FROM subject_key WHERE subject_id = $1", subject);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exposed for {@link AccessExports}. */
    ObjectNode detailOf(DsrRequest request) {
        JsonNode node = request.detail == null ? null : read(request.detail);
        return node instanceof ObjectNode object ? object : json.createObjectNode();
    }
}
