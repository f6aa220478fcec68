package io.sohbet.events;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Pseudonymous subject ids: {@code base64url(HMAC-SHA256(pepper, E.164 phone))}, without padding.
 *
 * <p>Numbers are normalised with libphonenumber, so {@code 0532 123 45 67}, {@code +90 532 123 4567} and the
 * WhatsApp {@code wa_id} {@code 905321234567} give the same id. A number written without a country code is read
 * in the default region (Turkey unless configured); a WhatsApp id never is ({@link #fromWhatsAppId}). Users known only by a business-scoped user id (BSUID) get an
 * id derived from that id in a separate domain, so it can never collide with a phone-derived one.
 *
 * <p>Instances are thread-safe.
 */
public final class SubjectIds {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final int MIN_PEPPER_BYTES = 16;

    private final Hmac pepper;
    private final String defaultRegion;

    public SubjectIds(byte[] pepper, String defaultRegion) {
        Objects.requireNonNull(pepper, "pepper");
        if (pepper.length < MIN_PEPPER_BYTES) {
            throw new IllegalArgumentException("the pepper must have at least " + MIN_PEPPER_BYTES + " bytes");
        }
        if (!PHONES.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("unknown default region " + defaultRegion);
        }
        this.pepper = new Hmac(pepper);
        this.defaultRegion = defaultRegion;
    }

    public SubjectIds(byte[] pepper) {
        this(pepper, "TR");
    }

    /** The subject id of a phone number in any common spelling. */
    public String fromPhone(String phone) {
        return hmac(normalise(phone));
    }

    /**
     * The subject id of a WhatsApp user id ({@code wa_id}, {@code from}, {@code recipient_id}): always the full
     * international number without '+'. Never read in the default region: {@code 5351234567} is the Cuban
     * +53 5 123 4567 as a wa_id, but the Turkish +90 535 123 45 67 when a shop sends it as a phone.
     */
    public String fromWhatsAppId(String waId) {
        return hmac(normaliseWhatsAppId(waId));
    }

    /** A WhatsApp user id in E.164 ({@code 905321234567} → {@code +905321234567}); see {@link #fromWhatsAppId}. */
    public String normaliseWhatsAppId(String waId) {
        if (waId == null || waId.isBlank()) {
            throw new InvalidPhoneNumberException("empty");
        }
        String raw = waId.strip();
        String digits = raw.startsWith("+") ? raw.substring(1) : raw;
        // nearly every wa_id: its digits read as parse would read them, without parse (InternationalDigits)
        String fast = InternationalDigits.e164(digits);
        return fast != null ? fast : e164(parse("+" + digits, defaultRegion));
    }

    /** The subject id of a user known only by a business-scoped user id (no phone number). */
    public String fromBusinessScopedUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("business-scoped user id is empty");
        }
        return hmac("bsuid:" + userId.strip());
    }

    /**
     * The keyed hash of a parent BSUID ({@code CC.ENT.…}, shared by linked business portfolios), in its own domain: never
     * a subject id by itself, only a lookup key of consent-service's identifier links.
     */
    public String fromParentBusinessScopedUserId(String parentUserId) {
        if (parentUserId == null || parentUserId.isBlank()) {
            throw new IllegalArgumentException("parent business-scoped user id is empty");
        }
        return hmac("parent-bsuid:" + parentUserId.strip());
    }

    /**
     * The keyed hash of a WhatsApp username, in its own domain (lower case, without a leading {@code @}): a lookup key of
     * consent-service's identifier links. A person may change their username, so it is never a subject id by itself.
     */
    public String fromUsername(String username) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("username is empty");
        }
        String clean = username.strip();
        if (clean.startsWith("@")) {
            clean = clean.substring(1);
        }
        return hmac("username:" + clean.toLowerCase(java.util.Locale.ROOT));
    }

    /** The phone number in E.164 ({@code +905321234567}). */
    public String normalise(String phone) {
        if (phone == null || phone.isBlank()) {
            throw new InvalidPhoneNumberException("empty");
        }
        String raw = phone.strip();
        if (raw.startsWith("00")) {
            raw = "+" + raw.substring(2);
        }
        PhoneNumber parsed = parse(raw, defaultRegion);
        if ((parsed == null || !PHONES.isValidNumber(parsed)) && !raw.startsWith("+") && !raw.startsWith("0")) {
            // a WhatsApp wa_id: the full international number without '+'
            parsed = parse("+" + raw, defaultRegion);
        }
        return e164(parsed);
    }

    /** A parsed number in E.164, when it is a valid number of its country's numbering plan. */
    private static String e164(PhoneNumber parsed) {
        if (parsed == null) {
            throw new InvalidPhoneNumberException("not a phone number");
        }
        if (!PHONES.isValidNumber(parsed)) {
            throw new InvalidPhoneNumberException("no valid number in the numbering plan of region "
                    + PHONES.getRegionCodeForCountryCode(parsed.getCountryCode()));
        }
        return PHONES.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static PhoneNumber parse(String raw, String region) {
        try {
            return PHONES.parse(raw, region);
        } catch (NumberParseException e) {
            return null;
        }
    }

    private String hmac(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(pepper.of(value.getBytes(StandardCharsets.UTF_8)));
    }
}
