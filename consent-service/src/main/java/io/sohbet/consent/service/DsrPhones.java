package io.sohbet.consent.service;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.sohbet.consent.config.ConsentConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the phone that names a data-subject request's subject, where a wrong reading erases, exports or corrects
 * someone else. International spellings ({@code +90 532 …}, {@code 0090 532 …}) and numbers given with their country
 * ({@code country: TR}) are read as such. A bare number is read both as a WhatsApp id (the full international number
 * without '+') and as a number of the default region; when both readings are valid numbers and differ
 * ({@code 5351234567}: Cuban as a wa_id, Turkish as a local number) it is refused. A bare number with one reading
 * ({@code 0532 123 45 67}, whose trunk 0 no wa_id has) is read that way.
 */
@ApplicationScoped
public class DsrPhones {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    public DsrPhones(ConsentConfig config) {
        this.defaultRegion = config.defaultRegion();
    }

    /** The phone in E.164; a {@link ConsentRuleException} (400) names {@code /phone} or {@code /country} otherwise. */
    public String e164(String phone, String country) {
        String raw = phone == null ? "" : phone.strip();
        boolean international = raw.startsWith("+") || raw.startsWith("00");
        if (raw.startsWith("00")) {
            raw = "+" + raw.substring(2);
        }
        if (country != null) {
            if (!PHONES.getSupportedRegions().contains(country)) {
                throw new ConsentRuleException("/country", "is not a region whose numbers can be read (ISO 3166-1 alpha-2, such as TR)");
            }
            PhoneNumber number = valid(parse(raw, country));
            if (number == null) {
                throw new ConsentRuleException("/phone", "is not a valid number of " + country);
            }
            if (international && !country.equals(PHONES.getRegionCodeForNumber(number))) {
                throw new ConsentRuleException("/country", "does not match the country code the phone is written with");
            }
            return format(number);
        }
        if (international) {
            PhoneNumber number = valid(parse(raw, "ZZ"));
            if (number == null) {
                throw new ConsentRuleException("/phone", "is not a valid international number");
            }
            return format(number);
        }
        PhoneNumber local = valid(parse(raw, defaultRegion));
        String digits = raw.replaceAll("[^0-9]", "");
        PhoneNumber waId = digits.isEmpty() || digits.startsWith("0") ? null : valid(parse("+" + digits, "ZZ"));
        if (local != null && waId != null && !format(local).equals(format(waId))) {
            throw new ConsentRuleException("/phone", "is ambiguous without its country: as a WhatsApp id it is a number of "
                    + PHONES.getRegionCodeForNumber(waId) + ", as a local number one of " + defaultRegion
                    + "; write it with + and the country code, or give the country");
        }
        PhoneNumber number = local != null ? local : waId;
        if (number == null) {
            throw new ConsentRuleException("/phone", "is not a phone number");
        }
        return format(number);
    }

    private static PhoneNumber parse(String raw, String region) {
        try {
            return PHONES.parse(raw, region);
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static PhoneNumber valid(PhoneNumber number) {
        return number != null && PHONES.isValidNumber(number) ? number : null;
    }

    private static String format(PhoneNumber number) {
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }
}
