package io.sohbet.segment.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.events.MessageIds;
import io.sohbet.events.payload.CampaignMessage;
import io.sohbet.events.payload.CommerceEvent;
import io.sohbet.events.payload.LinkClick;
import io.sohbet.events.payload.WaInbound;
import io.sohbet.events.payload.WaStatus;
import io.sohbet.segment.config.SegmentConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stores what profiles are computed from and, in the same transaction, brings the subject's profile and memberships
 * up to date. Facts are keyed by event, message or order id, so a redelivery stores nothing new; the content kind of
 * a read is filled in whichever of the read and its {@code campaign.message} comes last. Message ids, and the event
 * ids built from them, are kept as keyed hashes ({@link MessageIds}: events carry them so; one still in clear,
 * published before the hashing, is hashed here).
 */
@ApplicationScoped
public class SegmentFacts {

    /** A long text reply has at least this many characters. */
    static final int LONG_TEXT = 40;

    private final Pool database;
    private final Profiles profiles;
    private final SegmentEvaluation evaluation;
    private final io.sohbet.kit.keys.SubjectKeys keys;
    private final MessageIds messageIds;
    private final io.sohbet.events.ShopIds shopIds;
    private final ConsentStates consents;

    public SegmentFacts(Pool database, Profiles profiles, SegmentEvaluation evaluation, io.sohbet.kit.keys.SubjectKeys keys,
            SegmentConfig config, ConsentStates consents) {
        this.database = database;
        this.consents = consents;
        this.messageIds = MessageIds.withKey(config.messageIdKey());
        this.shopIds = io.sohbet.events.ShopIds.withKey(config.messageIdKey());
        this.keys = keys;
        this.profiles = profiles;
        this.evaluation = evaluation;
    }

    public Uni<Void> inbound(String eventId, String subject, WaInbound m) {
        if (subject == null || m.timestamp() == null) {
            return Uni.createFrom().voidItem();
        }
        String content = switch (m.messageType() == null ? "" : m.messageType()) {
            case "image", "video", "sticker" -> "visual";
            case "text" -> m.textLength() != null && m.textLength() >= LONG_TEXT ? "text" : "quick";
            case "interactive", "button", "reaction" -> "quick";
            default -> null;
        };
        return interaction(messageIds.inEventId(eventId), subject, m.timestamp(), "reply", content);
    }

    public Uni<Void> status(String eventId, String subject, WaStatus s) {
        if (subject == null || s.timestamp() == null || !"read".equals(s.status())) {
            return Uni.createFrom().voidItem();
        }
        return stored(subject, s.timestamp(), tx -> tx.preparedQuery("INSERT INTO interaction (event_id, subject_id, at, kind, content) "
                        + "VALUES ($1, $2, $3, 'read', (SELECT content FROM sent_message WHERE wamid = $4)) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(messageIds.inEventId(eventId), subject, s.timestamp().atOffset(ZoneOffset.UTC),
                        messageIds.of(s.wamid()))).replaceWithVoid());
    }

    public Uni<Void> click(String eventId, String subject, LinkClick c) {
        if (subject == null || c.clickedAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return interaction(eventId, subject, c.clickedAt(), "click", null);
    }

    public Uni<Void> campaignMessage(String subject, CampaignMessage m) {
        if (subject == null || m.wamid() == null) {
            return Uni.createFrom().voidItem();
        }
        String content = switch (m.messageType() == null ? "" : m.messageType().toLowerCase(Locale.ROOT)) {
            case "image", "video" -> "visual";
            case "interactive", "button", "list" -> "quick";
            default -> "text";
        };
        Instant at = m.sentAt() == null ? Instant.now() : m.sentAt();
        String wamid = messageIds.of(m.wamid());
        return stored(subject, at, tx -> tx.preparedQuery("INSERT INTO sent_message (wamid, subject_id, content, sent_at) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING").execute(Tuple.of(wamid, subject, content, at.atOffset(ZoneOffset.UTC)))
                .chain(() -> tx.preparedQuery("UPDATE interaction SET content = $3 WHERE subject_id = $1 AND kind = 'read' "
                        + "AND content IS NULL AND event_id LIKE 'wa.status:' || $2 || ':read%'").execute(Tuple.of(subject, wamid, content)))
                .replaceWithVoid());
    }

    public Uni<Void> commerce(String subject, CommerceEvent e) {
        if (subject != null && e.occurredAt() != null && "customer.upserted".equals(e.eventType()) && e.customer() != null) {
            return customer(subject, e);
        }
        if (subject == null || e.orderId() == null || e.occurredAt() == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (e.eventType()) {
            case "order.created", "order.paid" -> stored(subject, e.occurredAt(), tx -> tx.preparedQuery("INSERT INTO shop_order "
                            + "(order_id, subject_id, at, total, currency, top_category) VALUES ($1, $2, $3, $4, $5, $6) "
                            + "ON CONFLICT (order_id) DO UPDATE SET at = LEAST(shop_order.at, EXCLUDED.at)")
                    .execute(Tuple.from(new Object[] {shopIds.of(e.orderId()), subject, e.occurredAt().atOffset(ZoneOffset.UTC), e.total(),
                            e.currency(), topCategory(e)})).replaceWithVoid());
            case "order.cancelled" -> stored(subject, e.occurredAt(), tx -> tx.preparedQuery("INSERT INTO shop_order (order_id, "
                            + "subject_id, at, cancelled) VALUES ($1, $2, $3, TRUE) ON CONFLICT (order_id) DO UPDATE SET cancelled = TRUE")
                    .execute(Tuple.of(shopIds.of(e.orderId()), subject, e.occurredAt().atOffset(ZoneOffset.UTC))).replaceWithVoid());
            default -> stored(subject, e.occurredAt(), tx -> Uni.createFrom().voidItem());
        };
    }

    /** Opens gender, birth year and city in memory with the subject's key; keeps them minimal. */
    private Uni<Void> customer(String subject, CommerceEvent e) {
        CommerceEvent.Customer c = e.customer();
        if (c.gender() == null && c.birthYear() == null && c.city() == null) {
            return stored(subject, e.occurredAt(), tx -> Uni.createFrom().voidItem());
        }
        return keys.find(subject).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem(); // erased: nothing to open, and no key is brought back
            }
            byte[] key = found.get();
            String gender;
            Integer birthYear;
            String city;
            try {
                gender = normalGender(open(key, subject, c.gender()));
                birthYear = year(open(key, subject, c.birthYear()));
                city = open(key, subject, c.city());
            } catch (io.sohbet.events.FieldDecryptionException erased) {
                return Uni.createFrom().voidItem();
            }
            String cityValue = city == null || city.isBlank() ? null : city.strip();
            return stored(subject, e.occurredAt(), tx -> profiles.seen(tx, subject, e.occurredAt()) // the profile must exist
                    .chain(() -> profiles.demographics(tx, subject, gender, birthYear,
                            cityValue == null ? null : cityValue.substring(0, Math.min(100, cityValue.length())))));
        });
    }

    /** female, male or other, whatever the case (Turkish-aware: KADIN, Kadin, kadın); null when not given. */
    static String normalGender(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (TurkishCase.fold(value)) {
            case "f", "female", "kadin", "k", "woman" -> "female";
            case "m", "male", "erkek", "e", "man" -> "male";
            default -> "other";
        };
    }

    static Integer year(String value) {
        if (value == null) {
            return null;
        }
        try {
            int y = Integer.parseInt(value.strip());
            return y >= 1900 && y <= java.time.Year.now().getValue() ? y : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String open(byte[] key, String subject, String sealed) {
        return sealed == null ? null : io.sohbet.events.FieldCipher.decrypt(key, subject, sealed);
    }

    static String topCategory(CommerceEvent e) {
        if (e.items() == null || e.items().isEmpty()) {
            return null;
        }
        Map<String, Integer> quantity = new HashMap<>();
        e.items().stream().filter(i -> i.category() != null).forEach(i -> quantity.merge(i.category(), Math.max(1, i.quantity()), Integer::sum));
        return quantity.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey).orElse(null);
    }

    private Uni<Void> interaction(String eventId, String subject, Instant at, String kind, String content) {
        return stored(subject, at, tx -> tx.preparedQuery("INSERT INTO interaction (event_id, subject_id, at, kind, content) "
                        + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(eventId, subject, at.atOffset(ZoneOffset.UTC), kind, content)).replaceWithVoid());
    }

    /**
     * Stores a fact, marks the subject seen and re-evaluates it, in one transaction; nothing while the subject has
     * withdrawn profiling ({@link ConsentStates#profiling}).
     */
    private Uni<Void> stored(String subject, Instant at, java.util.function.Function<SqlClient, Uni<Void>> write) {
        return database.withTransaction(tx -> evaluation.lockCatalog(tx).chain(() -> consents.profiling(tx, subject))
                .chain(allowed -> !allowed ? Uni.createFrom().voidItem() : write.apply(tx)
                        .chain(() -> profiles.seen(tx, subject, at))
                        .chain(() -> evaluation.subjectChanged(tx, subject, Instant.now())).replaceWithVoid()));
    }
}
