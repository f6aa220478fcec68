package io.sohbet.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;

import java.time.Duration;

/**
 * Picks the subject id of a WhatsApp user: from the phone number (wa_id, always international) when it is a valid
 * number, else from the business-scoped user id (BSUID), else from the raw id as sent. A webhook is never rejected
 * for its sender's id: Meta would retry it for a week.
 *
 * <p>Reading a number with libphonenumber costs about 9 µs, the largest single cost of ingesting a status (profiled
 * in docs/benchmarks.md), and the same wa_id comes back in every status of a message (sent, delivered, read) and in
 * every message of a conversation. So the ids derived from phone numbers are kept in a bounded cache for a short
 * while; the id is a pure function of the number, so a cached id is always the right one.
 */
public final class SubjectResolver {

    private final SubjectIds ids;
    private final Cache<String, String> phoneIds;

    public SubjectResolver(SubjectIds ids, long cacheSize, Duration cacheTtl) {
        this.ids = ids;
        this.phoneIds = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterAccess(cacheTtl).build();
    }

    /** A resolver without a cache. */
    public SubjectResolver(SubjectIds ids) {
        this(ids, 0, Duration.ZERO);
    }

    /** The subject, or {@code null} when the webhook names nobody. */
    public Resolved resolve(String phone, String businessScopedUserId) {
        if (phone != null) {
            String fromPhone = subjectOfPhone(phone);
            if (fromPhone != null) {
                return new Resolved(fromPhone, Kind.PHONE);
            }
        }
        if (businessScopedUserId != null) {
            return new Resolved(ids.fromBusinessScopedUserId(businessScopedUserId), Kind.BSUID);
        }
        if (phone != null) {
            return new Resolved(ids.fromBusinessScopedUserId("unparsed:" + phone), Kind.RAW);
        }
        return null;
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

    /** How the subject id was derived; RAW means the sender's id was neither a valid number nor a BSUID. */
    public enum Kind { PHONE, BSUID, RAW }

    public record Resolved(String subjectId, Kind kind) {
    }
}
