package io.sohbet.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the subject id of a WhatsApp user. One person is named by several identifiers (phone, business-scoped user id
 * (BSUID), parent BSUID, username), not always all at once; consent-service links each identifier's keyed hash to the
 * person's subject. So the subject is the one the first linked identifier belongs to (phone, then BSUID, username,
 * parent BSUID), known from this resolver's cache of links ({@link #learn}, {@link #link}); without a link it is
 * derived as before: from the phone number (wa_id, always international) when it is a valid number, else from the
 * BSUID, else from the raw id as sent. A webhook is never rejected for its sender's id: Meta would retry it for a week.
 *
 * <p>The keyed hash of a phone is the subject id derived from it ({@link SubjectIds#fromWhatsAppId}). Reading a number
 * with libphonenumber costs about 9 µs, the largest single cost of ingesting a status (profiled in docs/benchmarks.md),
 * and the same wa_id comes back in every status of a message and in every message of a conversation, so the derived
 * ids are kept in a bounded cache (a pure function of the number: a cached id is always right). Links can move (a
 * number or BSUID changed), so they are kept for a shorter while, and "not linked" answers shorter still.
 */
public final class SubjectResolver {

    private final SubjectIds ids;
    private final Cache<String, String> phoneIds;
    /** keyed hash → the subject it is linked to. */
    private final Cache<String, String> links;
    /** keyed hashes consent-service said were not linked. */
    private final Cache<String, Boolean> unlinked;

    /** The fewest links and "not linked" answers kept, also when the cache of derived ids is off. */
    static final long MIN_LINKS = 10_000;

    public SubjectResolver(SubjectIds ids, long cacheSize, Duration cacheTtl, Duration linkTtl, Duration unlinkedTtl) {
        this.ids = ids;
        this.phoneIds = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterAccess(cacheTtl).build();
        long linkSize = Math.max(cacheSize, MIN_LINKS);
        this.links = Caffeine.newBuilder().maximumSize(linkSize).expireAfterWrite(linkTtl).build();
        this.unlinked = Caffeine.newBuilder().maximumSize(linkSize).expireAfterWrite(unlinkedTtl).build();
    }

    public SubjectResolver(SubjectIds ids, long cacheSize, Duration cacheTtl) {
        this(ids, cacheSize, cacheTtl, cacheTtl, cacheTtl);
    }

    /** A resolver without a cache of derived ids (links are still remembered for a minute). */
    public SubjectResolver(SubjectIds ids) {
        this(ids, 0, Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(1));
    }

    /** The identifiers one item of a webhook names its person by; any may be null. */
    public record Identifiers(String phone, String bsuid, String username, String parentBsuid) {

        public static Identifiers of(String phone, String bsuid) {
            return new Identifiers(phone, bsuid, null, null);
        }

        boolean isEmpty() {
            return blank(phone) && blank(bsuid) && blank(username) && blank(parentBsuid);
        }
    }

    /** The keyed hashes of the identifiers, in the order they decide the subject (phone, BSUID, username, parent BSUID). */
    public List<String> hashes(Identifiers who) {
        return hashes(who, phoneHash(who.phone()));
    }

    /** As {@link #hashes(Identifiers)}, with the phone's hash already known ({@code null}: no valid number). */
    private List<String> hashes(Identifiers who, String phoneHash) {
        List<String> hashes = new ArrayList<>(4);
        if (phoneHash != null) {
            hashes.add(phoneHash);
        }
        if (!blank(who.bsuid())) {
            hashes.add(ids.fromBusinessScopedUserId(who.bsuid()));
        }
        if (!blank(who.username())) {
            hashes.add(ids.fromUsername(who.username()));
        }
        if (!blank(who.parentBsuid())) {
            hashes.add(ids.fromParentBusinessScopedUserId(who.parentBsuid()));
        }
        return hashes;
    }

    /** Of {@code hashes}, those whose link this resolver does not know either way: to ask consent-service about. */
    public Set<String> unknown(Collection<String> hashes) {
        Set<String> unknown = new HashSet<>();
        for (String hash : hashes) {
            if (links.getIfPresent(hash) == null && unlinked.getIfPresent(hash) == null) {
                unknown.add(hash);
            }
        }
        return unknown;
    }

    /** consent-service's answer about {@code asked}: {@code linked} (hash → subject); the others are not linked. */
    public void learn(Set<String> asked, Map<String, String> linked) {
        for (String hash : asked) {
            String subject = linked.get(hash);
            if (subject != null) {
                links.put(hash, subject);
            } else {
                unlinked.put(hash, Boolean.TRUE);
            }
        }
    }

    /**
     * A link this replica has just seen (and published): the next item with only that identifier finds the subject. Also
     * put in {@code delivery} (the links known for the delivery being read), which a full cache cannot evict.
     */
    public void link(String hash, String subject, Map<String, String> delivery) {
        links.put(hash, subject);
        unlinked.invalidate(hash);
        delivery.put(hash, subject);
    }

    /** The subject a keyed hash is known to be linked to ({@code delivery} first, then the cache), or {@code null}. */
    public String linked(String hash, Map<String, String> delivery) {
        String subject = delivery.get(hash);
        return subject != null ? subject : links.getIfPresent(hash);
    }

    /**
     * Forgets every cached link to {@code subject} (an erasure: consent-service deleted the person's links), so that
     * no identifier of the person resolves to them from this cache any more; also the ids derived from their number.
     */
    public void forget(String subject) {
        links.asMap().values().removeIf(subject::equals);
        phoneIds.asMap().values().removeIf(subject::equals);
    }

    /** The subject by phone or BSUID alone; see {@link #resolve(Identifiers, Map)}. */
    public Resolved resolve(String phone, String businessScopedUserId) {
        return resolve(Identifiers.of(phone, businessScopedUserId), Map.of());
    }

    /**
     * The subject, or {@code null} when the webhook names nobody. {@code delivery}: the links known for the delivery
     * being read (consent-service's answer for it and those read in it), looked at before the cache.
     */
    public Resolved resolve(Identifiers who, Map<String, String> delivery) {
        if (who.isEmpty()) {
            return null;
        }
        // the number's hash once: it is both the first link to look up and the subject derived without one
        String fromPhone = phoneHash(who.phone());
        for (String hash : hashes(who, fromPhone)) {
            String subject = linked(hash, delivery);
            if (subject != null) {
                return new Resolved(subject, Kind.LINKED);
            }
        }
        if (fromPhone != null) {
            return new Resolved(fromPhone, Kind.PHONE);
        }
        if (!blank(who.bsuid())) {
            return new Resolved(ids.fromBusinessScopedUserId(who.bsuid()), Kind.BSUID);
        }
        if (!blank(who.phone())) {
            return new Resolved(ids.fromBusinessScopedUserId("unparsed:" + who.phone()), Kind.RAW);
        }
        // only a username or a parent BSUID, linked to nobody yet: a subject of its own, in the BSUID domain
        String other = !blank(who.username()) ? "username:" + who.username().strip() : "parent:" + who.parentBsuid().strip();
        return new Resolved(ids.fromBusinessScopedUserId(other), Kind.RAW);
    }

    /** The keyed hash of a phone (= the subject id derived from it), or {@code null} when it is not a valid number. */
    public String phoneHash(String phone) {
        return blank(phone) ? null : subjectOfPhone(phone);
    }

    public String bsuidHash(String bsuid) {
        return blank(bsuid) ? null : ids.fromBusinessScopedUserId(bsuid);
    }

    private String subjectOfPhone(String phone) {
        String cached = phoneIds.getIfPresent(phone);
        if (cached != null) {
            return cached;
        }
        try {
            String subject = ids.fromWhatsAppId(phone);
            phoneIds.put(phone, subject);
            return subject;
        } catch (InvalidPhoneNumberException notAPhone) {
            return null; // the BSUID, then the raw id
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * How the subject id was found: LINKED through consent-service's identifier links, else derived; RAW means the
     * sender's id was neither a valid number nor a BSUID.
     */
    public enum Kind { LINKED, PHONE, BSUID, RAW }

    public record Resolved(String subjectId, Kind kind) {
    }
}
