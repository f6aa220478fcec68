package io.sohbet.webhook.service;

import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;

/**
 * Picks the subject id of a WhatsApp user: from the phone number (wa_id) when it is a valid number, else from the
 * business-scoped user id (BSUID), else from the raw id as sent. A webhook is never rejected for its sender's id:
 * Meta would retry it for a week.
 */
public final class SubjectResolver {

    private final SubjectIds ids;

    public SubjectResolver(SubjectIds ids) {
        this.ids = ids;
    }

    /** The subject, or {@code null} when the webhook names nobody. */
    public Resolved resolve(String phone, String businessScopedUserId) {
        if (phone != null) {
            try {
                return new Resolved(ids.fromPhone(phone), Kind.PHONE);
            } catch (InvalidPhoneNumberException notAPhone) {
                // fall through to the BSUID, then the raw id
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

    /** How the subject id was derived; RAW means the sender's id was neither a valid number nor a BSUID. */
    public enum Kind { PHONE, BSUID, RAW }

    public record Resolved(String subjectId, Kind kind) {
    }
}
