package io.sohbet.consent.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.ErasureLock;
import io.sohbet.consent.service.IdentifierLinks;
import io.sohbet.consent.service.IdentityVault;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.FieldDecryptionException;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.WaContact;
import io.sohbet.kit.messaging.ConsumerRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills the identity vault from WhatsApp contact profiles and shop customers, and links the identifiers of a WhatsApp
 * profile (phone, BSUID, parent BSUID, username) to its subject ({@link IdentifierLinks}), also the new number or BSUID of
 * a {@code user_changed_number} / {@code user_changed_user_id}. The fields arrive sealed with the subject's key; an event whose key is gone (the subject was erased) or that happened before the subject's erasure is
 * ignored, so a replayed topic cannot bring an erased person back, also when the erasure commits while the event is
 * being handled. A phone that does not hash to the event's subject is dropped. An event dated in the future counts as
 * seen on arrival.
 * A shop phone that does not hash to the event's subject is dropped; a WhatsApp one only when it belongs to another subject.
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class IdentityListener {

    private static final Logger LOG = Logger.getLogger(IdentityListener.class);

    private final Database database;
    private final IdentityVault vault;
    private final KeyVault keys;
    private final IdentifierLinks links;
    private final ErasureLock lock;
    private final SubjectIds subjectIds;

    public IdentityListener(Database database, IdentityVault vault, KeyVault keys, IdentifierLinks links,
            ErasureLock lock, ConsentConfig config) {
        this.database = database;
        this.vault = vault;
        this.keys = keys;
        this.links = links;
        this.lock = lock;
        this.subjectIds = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    @Incoming(Channels.WA_CONTACT_IN)
    public Uni<Void> onContact(CloudEvent event) {
        WaContact contact = event.dataAs(WaContact.class);
        String subject = event.subject();
        if (subject == null) {
            return Uni.createFrom().voidItem();
        }
        Instant happened = happened(event, contact.seenAt());
        return key(event, happened).flatMap(key -> {
            if (key == null) {
                return Uni.createFrom().voidItem();
            }
            String waId;
            List<IdentifierLinks.Identifier> others = new ArrayList<>();
            String name;
            try {
                waId = open(key, subject, contact.waId());
                name = open(key, subject, contact.profileName());
                add(others, IdentifierLinks.Kind.BSUID, open(key, subject, contact.businessScopedUserId()));
                add(others, IdentifierLinks.Kind.PARENT_BSUID, open(key, subject, contact.parentBusinessScopedUserId()));
                add(others, IdentifierLinks.Kind.USERNAME, open(key, subject, contact.username()));
            } catch (FieldDecryptionException e) {
                LOG.warnf("event %s: sealed fields cannot be opened with the subject's key; ignored", event.id());
                return Uni.createFrom().voidItem();
            }
            String e164 = e164(waId, subjectIds::normaliseWhatsAppId);
            boolean changedNumber = WaContact.CHANGED_NUMBER.equals(contact.change());
            // asked again under the erasure's lock: an erasure that committed since the check above wins
            return database.inTransaction(() -> lock.holdAndCheck(subject, happened).flatMap(erased -> erased
                    ? Uni.createFrom().voidItem()
                    : phoneOfSubject(subject, e164, changedNumber).flatMap(phone -> {
                        List<IdentifierLinks.Identifier> identifiers = new ArrayList<>(others);
                        if (phone != null) {
                            identifiers.add(new IdentifierLinks.Identifier(IdentifierLinks.Kind.PHONE, phone));
                        }
                        return vault.rememberSighting(subject, new IdentityVault.Contact(phone, name, null), "whatsapp", happened)
                                .chain(() -> links.link(subject, key, identifiers, happened)).replaceWithVoid();
                    })));
        });
    }

    /**
     * The subject's phone: the number when it derives the subject, is linked to it already, is the new number of a
     * {@code user_changed_number}, or is nobody's yet (a person first known by BSUID whose number shows up); a number
     * that belongs to someone else is dropped. Inside the transaction.
     */
    private Uni<String> phoneOfSubject(String subject, String e164, boolean changedNumber) {
        if (e164 == null) {
            return Uni.createFrom().nullItem();
        }
        String hash = subjectIds.fromPhone(e164);
        if (hash.equals(subject) || changedNumber) {
            return Uni.createFrom().item(e164);
        }
        return links.subjectOf(hash).flatMap(linked -> linked != null ? Uni.createFrom().item(linked.equals(subject))
                        : database.first("SELECT 1 FROM identity WHERE subject_id = $1", row -> Boolean.TRUE, hash)
                                .map(java.util.Objects::isNull))
                .map(mine -> {
                    if (!mine) {
                        LOG.warnf("subject %s: a phone that belongs to another subject was dropped", subject);
                    }
                    return mine ? e164 : null;
                });
    }

    private static void add(List<IdentifierLinks.Identifier> identifiers, IdentifierLinks.Kind kind, String value) {
        if (value != null && !value.isBlank()) {
            identifiers.add(new IdentifierLinks.Identifier(kind, value.strip()));
        }
    }

    /** The phone in E.164, or {@code null} when there is none or it is not a valid number. */
    private static String e164(String phone, java.util.function.UnaryOperator<String> normaliser) {
        if (phone == null || phone.isBlank()) {
            return null;
        }
        try {
            return normaliser.apply(phone);
        } catch (InvalidPhoneNumberException e) {
            return null;
        }
    }

    /** The subject's key, or {@code null} when it has none or was erased since the event happened. */
    private Uni<byte[]> key(CloudEvent event, Instant happened) {
        String subject = event.subject();
        return keys.erasedSince(subject, happened).flatMap(erased -> erased ? Uni.createFrom().<Map<String, byte[]>>item(Map.of())
                : keys.find(Set.of(subject))).map(found -> {
                    byte[] key = found.get(subject);
                    if (key == null) {
                        LOG.debugf("event %s: the subject has no key (erased); ignored", event.id());
                    }
                    return key;
                });
    }

    /** When the event happened; a time in the future (a shop's clock running ahead) is taken as now. */
    private static Instant happened(CloudEvent event, Instant seenAt) {
        Instant now = Instant.now();
        Instant given = seenAt == null ? event.time() : seenAt;
        return given == null || given.isAfter(now) ? now : given;
    }

    @Incoming(Channels.COMMERCE_EVENT_IN)
    public Uni<Void> onCommerce(CloudEvent event) {
        CommerceEvent commerce = event.dataAs(CommerceEvent.class);
        CommerceEvent.Customer customer = commerce.customer();
        if (customer == null) {
            return Uni.createFrom().voidItem();
        }
        return open(event, (key, subject) -> new IdentityVault.Contact(
                phoneOf(subject, open(key, subject, customer.phone()), subjectIds::normalise),
                open(key, subject, customer.name()), open(key, subject, customer.email())), "shop", commerce.occurredAt());
    }

    private Uni<Void> open(CloudEvent event, java.util.function.BiFunction<byte[], String, IdentityVault.Contact> read,
            String source, java.time.Instant seenAt) {
        String subject = event.subject();
        if (subject == null) {
            return Uni.createFrom().voidItem();
        }
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant given = seenAt == null ? event.time() : seenAt;
        // a time in the future (a shop's clock running ahead) is taken as now: it must not outrank what comes later
        java.time.Instant happened = given == null || given.isAfter(now) ? now : given;
        return keys.erasedSince(subject, happened).flatMap(erased -> erased ? Uni.createFrom().<Map<String, byte[]>>item(Map.of())
                : keys.find(Set.of(subject))).flatMap(found -> {
            byte[] key = found.get(subject);
            if (key == null) {
                LOG.debugf("event %s: the subject has no key (erased); ignored", event.id());
                return Uni.createFrom().voidItem();
            }
            IdentityVault.Contact contact;
            try {
                contact = read.apply(key, subject);
            } catch (FieldDecryptionException e) {
                LOG.warnf("event %s: sealed fields cannot be opened with the subject's key; ignored", event.id());
                return Uni.createFrom().voidItem();
            }
            // asked again under the erasure's lock: an erasure that committed since the check above wins
            return database.inTransaction(() -> vault.rememberSighting(subject, contact, source, happened))
                    .replaceWithVoid();
        });
    }

    /** The phone in E.164 when it belongs to the subject; {@code null} otherwise. A wa_id is read as international. */
    private String phoneOf(String subject, String phone, java.util.function.UnaryOperator<String> normaliser) {
        if (phone == null) {
            return null;
        }
        try {
            String e164 = normaliser.apply(phone);
            if (subjectIds.fromPhone(e164).equals(subject)) {
                return e164;
            }
        } catch (InvalidPhoneNumberException e) {
            // fall through
        }
        LOG.warnf("subject %s: a phone that is not the subject's own was dropped", subject);
        return null;
    }

    private static String open(byte[] key, String subject, String sealed) {
        return sealed == null ? null : FieldCipher.decrypt(key, subject, sealed);
    }
}
