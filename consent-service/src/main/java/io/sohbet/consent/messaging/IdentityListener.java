package io.sohbet.consent.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
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
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Fills the identity vault from WhatsApp contact profiles and shop customers. The fields arrive sealed with the
 * subject's key; an event whose key is gone (the subject was erased) or that happened before the subject's erasure is
 * ignored, so a replayed topic cannot bring an erased person back, also when the erasure commits while the event is
 * being handled. A phone that does not hash to the event's subject is dropped. An event dated in the future counts as
 * seen on arrival.
 */
@ApplicationScoped
public class IdentityListener {

    private static final Logger LOG = Logger.getLogger(IdentityListener.class);

    private final IdentityVault vault;
    private final KeyVault keys;
    private final SubjectIds subjectIds;

    public IdentityListener(IdentityVault vault, KeyVault keys, ConsentConfig config) {
        this.vault = vault;
        this.keys = keys;
        this.subjectIds = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    @Incoming(Channels.WA_CONTACT_IN)
    public Uni<Void> onContact(CloudEvent event) {
        WaContact contact = event.dataAs(WaContact.class);
        return open(event, (key, subject) -> new IdentityVault.Contact(
                phoneOf(subject, open(key, subject, contact.waId()), subjectIds::normaliseWhatsAppId),
                open(key, subject, contact.profileName()), null),
                "whatsapp", contact.seenAt());
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
            return Panache.withTransaction(() -> vault.rememberSighting(subject, contact, source, happened)).replaceWithVoid();
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
