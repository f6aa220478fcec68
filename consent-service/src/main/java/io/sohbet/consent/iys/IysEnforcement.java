package io.sohbet.consent.iys;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.service.ContactResolver;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;

import java.nio.charset.StandardCharsets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * İYS at send time: with {@code sohbet.consent.iys.channels.<channel>.enforce} on, a marketing contact with a Turkish
 * number is handed out only when İYS's latest known record for that person and channel is an ONAY (accepted by İYS, or
 * read from its feed); the others are withheld as {@code no-iys-consent}. A grant is therefore usable once İYS accepted
 * it (one sync interval), and a rejection made in İYS stops sending as soon as the feed was read.
 */
@ApplicationScoped
public class IysEnforcement {

    public static final String WITHHELD = "no-iys-consent";

    private final IysConfig config;
    private final Pool database;
    private final SubjectIds phones;

    public IysEnforcement(ConsentConfig config, Pool database) {
        this.config = config.iys();
        this.database = database;
        this.phones = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    /** Whether the vault's phone (in whatever spelling it came) is a Turkish number; an unreadable one counts as Turkish. */
    private boolean turkish(String phone) {
        try {
            return phones.normalise(phone).startsWith("+90");
        } catch (InvalidPhoneNumberException e) {
            return true;
        }
    }

    /** {@code resolution} of {@code purpose} on {@code channel}, without the contacts İYS does not cover. */
    public Uni<ContactResolver.Resolution> enforce(String purpose, String channel, ContactResolver.Resolution resolution) {
        IysConfig.Channel settings = config.channels().get(channel);
        if (!IysOutbound.MARKETING.equals(purpose) || settings == null || !settings.enforce()) {
            return Uni.createFrom().item(resolution);
        }
        List<String> turkish = resolution.contacts().stream().filter(c -> turkish(c.phone()))
                .map(ContactResolver.Resolved::subjectId).toList();
        if (turkish.isEmpty()) {
            return Uni.createFrom().item(resolution);
        }
        return database.preparedQuery("SELECT subject_id FROM (SELECT DISTINCT ON (subject_id) subject_id, status "
                        + "FROM iys_record WHERE subject_id = ANY($1) AND channel = $2 AND state IN ('accepted', 'received') "
                        + "ORDER BY subject_id, consent_date DESC, ledger_entry DESC) latest WHERE status = 'ONAY'")
                .execute(Tuple.of(turkish.toArray(new String[0]), channel))
                .map(rows -> {
                    Set<String> onay = new HashSet<>();
                    for (Row row : rows) {
                        onay.add(row.getString(0));
                    }
                    List<ContactResolver.Resolved> contacts = new ArrayList<>();
                    List<ContactResolver.Withheld> withheld = new ArrayList<>(resolution.withheld());
                    for (ContactResolver.Resolved contact : resolution.contacts()) {
                        if (turkish(contact.phone()) && !onay.contains(contact.subjectId())) {
                            withheld.add(new ContactResolver.Withheld(contact.subjectId(), WITHHELD));
                        } else {
                            contacts.add(contact);
                        }
                    }
                    return new ContactResolver.Resolution(contacts, withheld);
                });
    }
}
