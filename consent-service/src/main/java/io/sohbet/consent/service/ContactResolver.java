package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.iys.IysEnforcement;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves subject ids to contact details for a purpose, at this moment: only subjects whose current ledger entry for
 * that purpose on WhatsApp (the latest captured, {@link ConsentLedger}) is a grant are answered, with their phone and/or
 * their most recent business-scoped user id ({@link IdentifierLinks}) and the address to send to ({@link Resolved}); neither known: withheld as {@code no-contact}. This is how
 * campaign-service gets phone numbers at send time, so a revocation a second ago already withholds the number. The
 * caller audits each batch (ContactResolveResource: who was handed which subjects, as keyed hashes). With İYS enforced
 * for WhatsApp, Turkish numbers without an İYS ONAY are withheld too ({@link IysEnforcement}).
 */
@ApplicationScoped
public class ContactResolver {

    private final Pool database;
    private final IdentityVault identities;
    private final IysEnforcement iys;
    private final KeyVault keys;
    private final IdentifierLinks links;

    public ContactResolver(Pool database, IdentityVault identities, IysEnforcement iys, KeyVault keys, IdentifierLinks links) {
        this.database = database;
        this.identities = identities;
        this.iys = iys;
        this.keys = keys;
        this.links = links;
    }

    /**
     * A reachable subject: {@code phone} (E.164) may be null when the person is known only by a business-scoped user id;
     * {@code bsuid} is then set (the most recently seen one), and may be set alongside a phone. {@code address} is where
     * a message to them goes: their BSUID when no phone is known or WhatsApp withholds their number now (their latest
     * sighting came without it: a username adopted, {@link IdentifierLinks.LatestBusinessScopedUserId}), else their phone.
     * Consent and İYS are the person's whatever the address (İYS is checked with the phone held).
     */
    public record Resolved(String subjectId, String phone, String bsuid, String name, String firstName, Address address) {
    }

    /** Where a message goes: {@code type} {@code phone} (E.164 in {@code to}) or {@code bsuid} (in {@code recipient}). */
    public record Address(String type, String value) {

        public static final String PHONE = "phone";
        public static final String BSUID = "bsuid";

        /**
         * The address of a person with {@code phone} (may be null) and {@code latest} business-scoped user id (may be
         * null): the BSUID when no phone is known or WhatsApp withholds the number now, else the phone; null with neither.
         */
        public static Address of(String phone, IdentifierLinks.LatestBusinessScopedUserId latest) {
            String bsuid = latest == null ? null : latest.bsuid();
            if (phone == null && bsuid == null) {
                return null;
            }
            return phone == null || latest != null && latest.phoneWithheld() ? new Address(BSUID, bsuid) : new Address(PHONE, phone);
        }
    }

    /** Withheld: neither a phone nor a business-scoped user id is known (was {@code no-phone} before BSUIDs). */
    public static final String NO_CONTACT = "no-contact";

    public record Withheld(String subjectId, String reason) {
    }

    public record Resolution(List<Resolved> contacts, List<Withheld> withheld) {
    }

    public Uni<Resolution> resolve(String purpose, Set<String> subjects, String actor) {
        return database.preparedQuery("SELECT subject_id FROM (SELECT DISTINCT ON (subject_id) subject_id, state "
                        + "FROM consent_record WHERE subject_id = ANY($1) AND purpose = $2 AND channel = 'whatsapp' "
                        + "ORDER BY subject_id, captured_at DESC, id DESC) latest WHERE state = 'granted'")
                .execute(Tuple.of(subjects.toArray(new String[0]), purpose))
                .flatMap(rows -> {
                    Set<String> granted = new HashSet<>();
                    for (Row row : rows) {
                        granted.add(row.getString("subject_id"));
                    }
                    Uni<Map<String, IdentityVault.Contact>> open = granted.isEmpty()
                            ? Uni.createFrom().item(Map.of()) : identities.open(granted);
                    Uni<Map<String, IdentifierLinks.LatestBusinessScopedUserId>> bsuids = granted.isEmpty() ? Uni.createFrom().item(Map.of())
                            : keys.find(granted).flatMap(links::latestBusinessScopedUserIds);
                    return Uni.combine().all().unis(open, bsuids).asTuple().map(both -> {
                        Map<String, IdentityVault.Contact> contacts = both.getItem1();
                        Map<String, IdentifierLinks.LatestBusinessScopedUserId> bsuidOf = both.getItem2();
                        List<Resolved> resolved = new ArrayList<>();
                        List<Withheld> withheld = new ArrayList<>();
                        for (String subject : subjects) {
                            IdentityVault.Contact contact = contacts.get(subject);
                            String phone = contact == null ? null : contact.phone();
                            IdentifierLinks.LatestBusinessScopedUserId latest = bsuidOf.get(subject);
                            String bsuid = latest == null ? null : latest.bsuid();
                            String name = contact == null ? null : contact.name();
                            if (!granted.contains(subject)) {
                                withheld.add(new Withheld(subject, "no-consent"));
                            } else if (phone == null && bsuid == null) {
                                withheld.add(new Withheld(subject, NO_CONTACT));
                            } else {
                                resolved.add(new Resolved(subject, phone, bsuid, name, firstName(name), Address.of(phone, latest)));
                            }
                        }
                        return new Resolution(resolved, withheld);
                    });
                })
                .flatMap(resolution -> iys.enforce(purpose, "whatsapp", resolution));
    }

    static String firstName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return name.strip().split("\\s+")[0];
    }
}
