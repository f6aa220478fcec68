package io.sohbet.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.iys.IysOutbound;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.rest.ConsentRequest;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.SubjectIds;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append-only consent ledger: every grant and revocation with its proof. The current state of a purpose and channel
 * is the entry the person made last: the latest capture time, and of entries captured at the same instant the one
 * recorded last. An entry recorded late with an earlier capture time (an import of old consents, a delayed event) is
 * history: it changes no state and is not announced. Evidence (IP address, user agent, wamid) is encrypted with the
 * subject's data key.
 */
@ApplicationScoped
public class ConsentLedger {

    /** The order in which the person made the choices: capture time, then recording order. */
    public static final Comparator<ConsentRecord> CAPTURE_ORDER = Comparator.<ConsentRecord, Instant>comparing(r -> r.capturedAt)
            .thenComparing(r -> r.id);

    private final Database database;
    private final ConsentRecordRepository records;
    private final KeyVault vault;
    private final ErasureLock lock;
    private final Outbox outbox;
    private final AuditLog audit;
    private final SubjectIds subjectIds;
    private final ObjectMapper json = new ObjectMapper();
    private final IysOutbound iys;

    public ConsentLedger(Database database, ConsentRecordRepository records, KeyVault vault, Outbox outbox, AuditLog audit,
            ErasureLock lock, ConsentConfig config, IysOutbound iys) {
        this.database = database;
        this.iys = iys;
        this.records = records;
        this.lock = lock;
        this.audit = audit;
        this.vault = vault;
        this.outbox = outbox;
        this.subjectIds = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    /** The subject id of a phone number; {@link io.sohbet.events.InvalidPhoneNumberException} when invalid. */
    public String subjectOf(String phone) {
        return subjectIds.fromPhone(phone);
    }

    /** The phone number in E.164; {@link io.sohbet.events.InvalidPhoneNumberException} when invalid. */
    public String normalise(String phone) {
        return subjectIds.normalise(phone);
    }

    /** Appends an entry in its own transaction; returns it with its id. */
    public Uni<ConsentRecord> record(String subject, ConsentRequest request, String recordedBy) {
        return database.inTransaction(() -> append(subject, request, recordedBy));
    }

    /**
     * Appends an entry inside the caller's transaction, announces it through the outbox when it is the current one and
     * audits it. A grant needs the notice that was shown. A capture time in the future is taken as now.
     */
    public Uni<ConsentRecord> append(String subject, ConsentRequest request, String recordedBy) {
        return append(subject, request, recordedBy, Map.of());
    }

    /**
     * {@link #append(String, ConsentRequest, String)} with the subject's data key when the caller has it already
     * ({@code keys}), read under the subject's lock in this transaction; otherwise it is read or created here.
     */
    public Uni<ConsentRecord> append(String subject, ConsentRequest request, String recordedBy, Map<String, byte[]> keys) {
        return append(subject, request, recordedBy, keys, true);
    }

    /**
     * {@link #append(String, ConsentRequest, String, Map)}; without {@code audit} the caller audits the entry later in
     * the same transaction ({@link #auditedAll}): an import audits a chunk's entries together at its end, so that the
     * audit chain's lock is held for the end of the transaction only, not for the whole chunk.
     */
    public Uni<ConsentRecord> append(String subject, ConsentRequest request, String recordedBy, Map<String, byte[]> keys,
            boolean audit) {
        if ("granted".equals(request.state()) && request.notice() == null) {
            return Uni.createFrom().failure(new ConsentRuleException("/notice",
                    "is required to grant consent: it is the proof of what was shown"));
        }
        if (request.capturedAt() != null && request.capturedAt().isBefore(Instant.EPOCH)) {
            // PostgreSQL's timestamps end at 4713 BC: refused here (400), not by the database (500)
            return Uni.createFrom().failure(new ConsentRuleException("/capturedAt", "must be after " + Instant.EPOCH));
        }
        Uni<Map<String, byte[]>> key = keys.containsKey(subject) ? Uni.createFrom().item(keys) : vault.getOrCreate(Set.of(subject));
        return lock.hold(subject).chain(() -> key).flatMap(found -> {
            ConsentRecord record = new ConsentRecord();
            record.subjectId = subject;
            record.purpose = request.purpose();
            record.channel = request.channel() == null ? "whatsapp" : request.channel();
            record.state = request.state();
            record.source = request.source();
            if (request.notice() != null) {
                record.noticeId = request.notice().id();
                record.noticeVersion = request.notice().version();
                record.noticeSha256 = request.notice().sha256();
            }
            record.evidence = sealEvidence(found.get(subject), subject, request.evidence());
            record.recordedBy = recordedBy;
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            record.capturedAt = capturedAt(request.capturedAt(), now);
            record.recordedAt = now;
            return enter(record, recordedBy, request.phone(), audit);
        });
    }

    /**
     * Persists a new entry, announces it as {@code consent.change} when it is now its purpose's current entry, and
     * audits it. Call inside a transaction that holds the subject's lock ({@link ErasureLock#hold}): the entries of one
     * subject are then recorded one after the other, so the announced entries have rising capture times: the latest
     * {@code changedAt} a consumer received is the current state.
     */
    public Uni<ConsentRecord> enter(ConsentRecord record, String actor) {
        return enter(record, actor, null);
    }

    /** {@link #enter(ConsentRecord, String)}, with the phone the entry was given for (null: the identity vault's) for İYS. */
    public Uni<ConsentRecord> enter(ConsentRecord record, String actor, String phone) {
        return enter(record, actor, phone, true);
    }

    private Uni<ConsentRecord> enter(ConsentRecord record, String actor, String phone, boolean audit) {
        return records.persist(record)
                .call(saved -> records.isCurrent(saved).flatMap(current -> current
                        ? outbox.consentChanged(saved).call(() -> iys.entered(saved, phone))
                        : Uni.createFrom().voidItem()))
                .call(saved -> audit ? audited(saved, actor) : Uni.createFrom().voidItem());
    }

    /** When an entry was captured: {@code requested}, or now when absent or in the future (a clock running ahead). */
    public static Instant capturedAt(Instant requested, Instant now) {
        Instant at = requested == null || requested.isAfter(now) ? now : requested;
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** The audit entry of a ledger entry; call inside its transaction. */
    public Uni<Void> audited(ConsentRecord record, String actor) {
        return audit.append(actor, "consent." + record.state, record.subjectId, auditDetails(record)).replaceWithVoid();
    }

    /** The audit entries of ledger entries appended without them, in their order, under one hold of the chain's lock. */
    public Uni<Void> auditedAll(List<ConsentRecord> entries, String actor) {
        return audit.appendAll(entries.stream().map(r -> new AuditLog.Entry(actor, "consent." + r.state, r.subjectId,
                auditDetails(r))).toList()).replaceWithVoid();
    }

    private static Map<String, Object> auditDetails(ConsentRecord record) {
        return Map.of("entry", record.id, "purpose", record.purpose, "channel", record.channel, "source", record.source);
    }

    /** True when the ledger already holds this very entry (same subject, purpose, channel, state, time and notice). */
    public Uni<Boolean> holds(String subject, ConsentRequest request) {
        if (request.capturedAt() == null) {
            return Uni.createFrom().item(false);
        }
        return records.countSame(subject, request.purpose(), request.channel() == null ? "whatsapp" : request.channel(),
                request.state(), request.capturedAt().truncatedTo(ChronoUnit.MICROS), request.source())
                .map(count -> count > 0);
    }

    public Uni<List<ConsentRecord>> history(String subject) {
        return database.withConnection(() -> records.history(subject));
    }

    /** The current entry per purpose and channel: the latest captured (ties: the latest recorded), whatever the order given. */
    public static List<ConsentRecord> current(List<ConsentRecord> history) {
        Map<String, ConsentRecord> latest = new LinkedHashMap<>();
        for (ConsentRecord record : history) {
            latest.merge(record.purpose + "/" + record.channel, record,
                    (held, other) -> CAPTURE_ORDER.compare(other, held) > 0 ? other : held);
        }
        return List.copyOf(latest.values());
    }

    private String sealEvidence(byte[] key, String subject, ConsentRequest.Evidence evidence) {
        if (evidence == null || (evidence.wamid() == null && evidence.ip() == null && evidence.userAgent() == null)) {
            return null;
        }
        try {
            return FieldCipher.encrypt(key, subject, json.writeValueAsString(evidence));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
