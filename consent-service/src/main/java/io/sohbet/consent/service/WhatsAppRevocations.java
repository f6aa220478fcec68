package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.ConsentRecordRepository;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.FieldDecryptionException;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.kit.ProcessedEvents;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Consent changes that arrive over WhatsApp: every stop signal ({@link StopSignals}: a stop-phrase reply, a tapped stop
 * button or list row) or Meta's marketing "stop" preference revokes marketing at once, with the signal's kind as
 * source and the wamid (plus the tapped field) or the preference event as evidence; a "resume" grants again only where
 * the marketing entry it follows (in capture order, as of the resume's time) is a preference stop and the entry before
 * that stop an explicit grant (one with a notice). Each event has its effect once, whatever the redeliveries. An event
 * time in the future (a clock running ahead) is taken as now.
 */
@ApplicationScoped
public class WhatsAppRevocations {

    static final String MARKETING = "marketing";
    static final String CHANNEL = "whatsapp";
    static final String SOURCE_PREFERENCE = "whatsapp-preference";

    private final Database database;
    private final ConsentRecordRepository records;
    private final KeyVault vault;
    private final ConsentLedger ledger;
    private final AuditLog audit;
    private final ErasureLock lock;
    private final StopSignals signals;

    public WhatsAppRevocations(Database database, ConsentRecordRepository records, KeyVault vault,
            ConsentLedger ledger, AuditLog audit, ErasureLock lock, StopSignals signals) {
        this.database = database;
        this.lock = lock;
        this.signals = signals;
        this.ledger = ledger;
        this.audit = audit;
        this.records = records;
        this.vault = vault;
    }

    /** Whether a customer's message may withdraw consent: worth checking against erasures and opening. */
    public boolean mayStop(WaInbound message) {
        return signals.mayStop(message);
    }

    /** A customer's message: revokes marketing when it is a stop signal. True when it did. */
    public Uni<Boolean> onInbound(String eventId, String subject, WaInbound message) {
        if (StopSignals.isText(message)) {
            return onReply(eventId, subject, message.wamid(), message.text(), message.timestamp());
        }
        return signals.tapped(message).map(signal -> revoke(eventId, subject, message.wamid(), signal, message.timestamp()))
                .orElseGet(() -> Uni.createFrom().item(false));
    }

    /** A customer's typed reply: revokes marketing when the whole reply is a stop phrase. True when it did. */
    public Uni<Boolean> onReply(String eventId, String subject, String wamid, String sealedText, Instant at) {
        if (subject == null || sealedText == null) {
            return Uni.createFrom().item(false);
        }
        return vault.find(Set.of(subject)).flatMap(keys -> {
            byte[] key = keys.get(subject);
            Optional<StopSignals.Signal> stop;
            try {
                stop = key == null ? Optional.empty() : signals.typed(FieldCipher.decrypt(key, subject, sealedText));
            } catch (FieldDecryptionException erasedOrForeign) {
                stop = Optional.empty();
            }
            return stop.map(signal -> revoke(eventId, subject, wamid, signal, at)).orElseGet(() -> Uni.createFrom().item(false));
        });
    }

    /** Revokes marketing for a stop signal; the evidence is the wamid and, for a tap, the field and value that matched. */
    private Uni<Boolean> revoke(String eventId, String subject, String wamid, StopSignals.Signal signal, Instant at) {
        if (subject == null) {
            return Uni.createFrom().item(false);
        }
        String evidence = StopSignals.SOURCE_TEXT.equals(signal.source()) ? "wamid:" + wamid
                : "wamid:" + wamid + " " + signal.matched();
        // only a stop has an effect, so only a stop needs the dedupe record
        return once(eventId, subject, at, () -> append(subject, "revoked", signal.source(), null, evidence, at).replaceWith(true));
    }

    /** Meta's marketing preference: stop revokes; resume grants again only after an explicit grant. */
    public Uni<Boolean> onPreference(String eventId, String subject, String value, Instant at) {
        if (subject == null || value == null) {
            return Uni.createFrom().item(false);
        }
        if (value.equals("stop")) {
            return once(eventId, subject, at, () -> append(subject, "revoked", SOURCE_PREFERENCE, null, "preference:" + eventId, at)
                    .replaceWith(true));
        }
        if (value.equals("resume")) {
            return once(eventId, subject, at, () -> records.history(subject).flatMap(history -> {
                ConsentRecord grant = lastExplicitGrantBeforeStop(history, ConsentLedger.capturedAt(at, Instant.now()));
                // a resume without an earlier explicit grant is recorded, but grants nothing
                return grant == null ? audit.append("whatsapp", "consent.resume-without-grant", subject,
                                Map.of("purpose", MARKETING, "channel", CHANNEL, "event", eventId)).replaceWith(false)
                        : append(subject, "granted", SOURCE_PREFERENCE, grant, "preference:" + eventId, at).replaceWith(true);
            }));
        }
        return Uni.createFrom().item(false);
    }

    /**
     * The grant that a preference stop ended, if the latest marketing entry captured at or before {@code at} (the
     * resume's time) is that stop and the entry captured before the stop an explicit grant; null otherwise.
     */
    static ConsentRecord lastExplicitGrantBeforeStop(List<ConsentRecord> history, Instant at) {
        List<ConsentRecord> marketing = history.stream()
                .filter(r -> MARKETING.equals(r.purpose) && CHANNEL.equals(r.channel) && !r.capturedAt.isAfter(at))
                .sorted(ConsentLedger.CAPTURE_ORDER).toList();
        if (marketing.size() < 2) {
            return null;
        }
        ConsentRecord last = marketing.get(marketing.size() - 1);
        ConsentRecord before = marketing.get(marketing.size() - 2);
        boolean stoppedByPreference = "revoked".equals(last.state) && SOURCE_PREFERENCE.equals(last.source);
        boolean explicit = "granted".equals(before.state) && before.noticeId != null;
        return stoppedByPreference && explicit ? before : null;
    }

    /** Appends an entry; call under the subject's erasure lock, once it said the subject was not erased since. */
    private Uni<Void> append(String subject, String state, String source, ConsentRecord noticeFrom, String evidence,
            Instant at) {
        // the key is made only for a subject never erased or back with a key: the erasure lock is held and was checked
        return vault.getOrCreate(Set.of(subject)).flatMap(keys -> {
            ConsentRecord record = new ConsentRecord();
            record.subjectId = subject;
            record.purpose = MARKETING;
            record.channel = CHANNEL;
            record.state = state;
            record.source = source;
            if (noticeFrom != null) {
                record.noticeId = noticeFrom.noticeId;
                record.noticeVersion = noticeFrom.noticeVersion;
                record.noticeSha256 = noticeFrom.noticeSha256;
            }
            record.evidence = FieldCipher.encrypt(keys.get(subject), subject, evidence);
            record.recordedBy = "whatsapp";
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            record.capturedAt = ConsentLedger.capturedAt(at, now);
            record.recordedAt = now;
            return ledger.enter(record, "whatsapp").replaceWithVoid();
        });
    }

    /**
     * Runs {@code effect} and records the event in one transaction, unless the event happened (at {@code at}) before
     * the subject's erasure or was handled before: the erasure is asked about first, under the erasure's lock, so an
     * erasure that committed after the listener's own check still wins (and nothing is recorded), and one that comes
     * later deletes what this wrote, dedupe records that name the subject included.
     */
    private Uni<Boolean> once(String eventId, String subject, Instant at, java.util.function.Supplier<Uni<Boolean>> effect) {
        // the erasure check first: an event about an erased person leaves nothing, not even its dedupe record (a
        // preference event's id names the subject)
        return database.inTransaction(() -> lock.holdAndCheck(subject, at).flatMap(erased -> erased
                ? Uni.createFrom().item(false)
                : ProcessedEvents.firstTime(database.client(), eventId)
                        .flatMap(first -> first ? effect.get() : Uni.createFrom().item(false))));
    }
}
