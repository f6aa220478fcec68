package io.sohbet.events;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number written as its international digits (a WhatsApp {@code wa_id}: {@code 905321234567}) in E.164, without
 * libphonenumber's {@code parse}: the country calling code is read off the digits and the rest checked by
 * {@link PhoneNumberUtil#isValidNumber}, as {@code parse("+" + digits)} then {@code isValidNumber} would. Reading a new
 * recipient's number was the largest single cost of ingesting a status (docs/benchmarks.md), most of it {@code parse}'s
 * general handling of spellings a wa_id never has.
 *
 * <p>Only where the result is sure to be parse's: ASCII digits, a known calling code, a national number that neither
 * starts with 0 (Italy's leading zero) nor is touched by its region's national prefix for parsing (parse may strip or
 * transform such a prefix: China's carrier codes, Belarus's 80); anything else, and every invalid number, gives {@code null} and
 * goes through {@code parse} as before. {@code InternationalDigitsTest} compares both ways on every example number of
 * every region and on random digits of every calling code.
 */
final class InternationalDigits {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** The metadata {@link PhoneNumberUtil#getInstance()} reads (the library's default source). */
    private static final MetadataSource METADATA = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
    /** PhoneNumberUtil's MIN_LENGTH_FOR_NSN and MAX_LENGTH_FOR_NSN. */
    private static final int MIN_NATIONAL = 2;
    private static final int MAX_NATIONAL = 17;
    private static final String UNKNOWN_REGION = "ZZ";
    /** Per calling code: its main region's national prefix for parsing, compiled; empty when it has none. */
    private static final ConcurrentHashMap<Integer, Optional<Prefix>> PREFIXES = new ConcurrentHashMap<>();

    private record Prefix(Pattern pattern, boolean transforms) {
    }

    /** No metadata for the code: parse would strip nothing, but isValidNumber fails too; left to parse to say so. */
    private static final Prefix UNKNOWN = new Prefix(null, true);

    private InternationalDigits() {
    }

    /** {@code +digits} when {@code digits} is surely read by parse as that valid number; else {@code null}: ask parse. */
    static String e164(String digits) {
        int length = digits.length();
        if (length < 4 || length > 3 + MAX_NATIONAL || digits.charAt(0) == '0') {
            return null;
        }
        for (int i = 0; i < length; i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        // calling codes are prefix-free, one to three digits (parse's extractCountryCode)
        for (int ccLength = 1; ccLength <= 3; ccLength++) {
            int callingCode = Integer.parseInt(digits, 0, ccLength, 10);
            String region = PHONES.getRegionCodeForCountryCode(callingCode);
            if (!UNKNOWN_REGION.equals(region)) { // "001" for non-geographical codes (800, 882, …)
                return national(digits, callingCode, region, digits.substring(ccLength));
            }
        }
        return null;
    }

    private static String national(String digits, int callingCode, String region, String national) {
        if (national.length() < MIN_NATIONAL || national.length() > MAX_NATIONAL || national.charAt(0) == '0'
                || prefixMayApply(callingCode, region, national)) {
            return null;
        }
        PhoneNumber number = new PhoneNumber().setCountryCode(callingCode).setNationalNumber(Long.parseLong(national));
        return PHONES.isValidNumber(number) ? "+" + digits : null;
    }

    /**
     * Whether parse's national-prefix step could change {@code national} (maybeStripNationalPrefixAndCarrierCode): its
     * pattern matches at the start, other than an empty match that leaves the number as it is.
     */
    private static boolean prefixMayApply(int callingCode, String region, String national) {
        Optional<Prefix> prefix = PREFIXES.computeIfAbsent(callingCode, code -> prefix(code, region));
        if (prefix.isEmpty()) {
            return false;
        }
        if (prefix.get() == UNKNOWN) {
            return true;
        }
        Matcher matcher = prefix.get().pattern().matcher(national);
        if (!matcher.lookingAt()) {
            return false;
        }
        if (matcher.end() > 0) {
            return true;
        }
        // an empty match deletes nothing; only a transform rule applied to a non-null last group would rewrite
        return prefix.get().transforms() && matcher.group(matcher.groupCount()) != null;
    }

    private static Optional<Prefix> prefix(int callingCode, String region) {
        PhoneMetadata metadata = PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY.equals(region)
                ? METADATA.getMetadataForNonGeographicalRegion(callingCode) : METADATA.getMetadataForRegion(region);
        if (metadata == null) {
            return Optional.of(UNKNOWN);
        }
        String forParsing = metadata.getNationalPrefixForParsing();
        if (forParsing == null || forParsing.isEmpty()) {
            return Optional.empty();
        }
        String rule = metadata.getNationalPrefixTransformRule();
        return Optional.of(new Prefix(Pattern.compile(forParsing), rule != null && !rule.isEmpty()));
    }
}
