package io.sohbet.consent.iys;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.IdentityVault;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Queues the İYS record of a ledger entry, in the entry's transaction: a marketing grant (ONAY) or revocation (RET) on a
 * channel mirrored to İYS ({@code sohbet.consent.iys.channels}), for a Turkish number (+90), becomes an
 * {@code iys_record} row that {@link IysSync} uploads. The phone comes with the entry (the API, an import), else from
 * the identity vault, else from the subject's last İYS record (a WhatsApp stop after a grant made through the API), and
 * is stored sealed with the subject's key. What İYS would refuse anyway is kept as {@code skipped}
 * with the reason, not sent: the same status as the last one sent ({@code unchanged}), a RET with no ONAY before it
 * ({@code no-onay-in-iys}), a subject whose phone is unknown ({@code no-phone}). Entries made from İYS's own changes
 * (source {@value #SOURCE}) are never sent back.
 */
@ApplicationScoped
public class IysOutbound {

    /** The ledger source of changes read from İYS. */
    public static final String SOURCE = "iys";
    static final String MARKETING = "marketing";

    private final IysConfig config;
    private final KeyVault keys;
    private final IdentityVault identities;
    private final SubjectIds phones;
    private final Database database;

    public IysOutbound(ConsentConfig config, KeyVault keys, IdentityVault identities, Database database) {
        this.config = config.iys();
        this.database = database;
        this.keys = keys;
        this.identities = identities;
        this.phones = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    /** Whether a ledger entry of this purpose and channel is mirrored to İYS. */
    public boolean mirrors(String purpose, String channel) {
        return MARKETING.equals(purpose) && config.channels().containsKey(channel);
    }

    /**
     * Queues the İYS record of {@code entry}, a current ledger entry just persisted; {@code phone} as given with it, or
     * null (then the identity vault's). Call inside the entry's transaction.
     */
    public Uni<Void> entered(ConsentRecord entry, String phone) {
        if (!mirrors(entry.purpose, entry.channel) || SOURCE.equals(entry.source)) {
            return Uni.createFrom().voidItem();
        }
        Uni<String> number = phone != null ? Uni.createFrom().item(e164(phone)) : recipient(entry.subjectId, entry.channel);
        return number.flatMap(recipient -> {
            if (recipient != null && !recipient.startsWith("+90")) {
                return Uni.createFrom().voidItem(); // not a Turkish number: İYS does not apply
            }
            String status = "granted".equals(entry.state) ? "ONAY" : "RET";
            return lastStatus(entry.subjectId, entry.channel).flatMap(last -> {
                String skip = recipient == null ? "no-phone" : status.equals(last) ? "unchanged"
                        : last == null && status.equals("RET") ? "no-onay-in-iys" : null;
                return keys.find(Set.of(entry.subjectId)).flatMap(found -> {
                    byte[] key = found.get(entry.subjectId);
                    String sealed = recipient == null || key == null ? null : FieldCipher.encrypt(key, entry.subjectId, recipient);
                    return insert(entry, sealed, status, key == null && skip == null ? "no-key" : skip);
                });
            });
        });
    }

    /** The subject's number (E.164) from the identity vault, else from its last İYS record on the channel; null if none. */
    Uni<String> recipient(String subject, String channel) {
        return identities.open(Set.of(subject)).map(found -> found.get(subject) == null ? null : e164(found.get(subject).phone()))
                .flatMap(vault -> vault != null ? Uni.createFrom().item(vault) : lastRecipient(subject, channel));
    }

    /** The İYS source our consent source is reported as. */
    String source(String ours) {
        return config.sources().getOrDefault(ours, config.defaultSource());
    }

    /** The number the subject's last İYS record on the channel was for (a grant given with a phone through the API). */
    private Uni<String> lastRecipient(String subject, String channel) {
        return database.list("SELECT recipient FROM iys_record "
                        + "WHERE subject_id = $1 AND channel = $2 AND recipient IS NOT NULL "
                        + "ORDER BY consent_date DESC, ledger_entry DESC LIMIT 1",
                        row -> row.getString("recipient"), subject, channel)
                .flatMap(rows -> rows.isEmpty() ? Uni.createFrom().nullItem() : keys.find(Set.of(subject)).map(found -> {
                    byte[] key = found.get(subject);
                    return key == null ? null : FieldCipher.decrypt(key, subject, rows.get(0));
                }));
    }

    private Uni<String> lastStatus(String subject, String channel) {
        return database.first("SELECT status FROM iys_record WHERE subject_id = $1 AND channel = $2 "
                        + "AND state IN ('pending', 'sending', 'sent', 'accepted', 'received') "
                        + "ORDER BY consent_date DESC, ledger_entry DESC LIMIT 1",
                row -> row.getString("status"), subject, channel);
    }

    private Uni<Void> insert(ConsentRecord entry, String sealedRecipient, String status, String skip) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        IysConfig.Channel channel = config.channels().get(entry.channel);
        return database.update("INSERT INTO iys_record (ledger_entry, "
                        + "subject_id, channel, recipient, recipient_type, type, status, source, consent_date, deadline, state, "
                        + "reason, next_attempt_at, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, 'BIREYSEL', $5, $6, $7, $8, $9, $10, $11, $12, $12, $12)",
                entry.id, entry.subjectId, entry.channel, sealedRecipient, channel.type(), status, source(entry.source),
                entry.capturedAt, IysCalendar.deadline(entry.capturedAt), skip == null ? "pending" : "skipped", skip,
                now)
                .replaceWithVoid();
    }

    private String e164(String phone) {
        if (phone == null) {
            return null;
        }
        try {
            return phones.normalise(phone);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }

    static List<String> states() {
        return List.of("pending", "sending", "sent", "accepted", "refused", "failed", "skipped", "received");
    }
}
