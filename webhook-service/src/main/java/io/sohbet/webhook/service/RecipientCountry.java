package io.sohbet.webhook.service;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.List;

/**
 * The ISO 3166 alpha-2 region of a status' recipient, which the rate card prices by: the region of the calling code
 * of their number (wa_id), else the country prefix of their business-scoped user id ({@code TR.123…}). A region
 * identifies nobody, so it travels in clear on {@code wa.status} and metrics-service can price messages without holding
 * phone numbers. Calling codes shared by several regions (+1, +7, +44…) are told apart by the full number.
 */
final class RecipientCountry {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** By calling code (1 to 999): the one region that has it, else {@code null}; read once, not per status. */
    private static final String[] ONLY = new String[1000];
    /** By calling code: whether several regions share it (+1, +7, +44…), so the full number tells them apart. */
    private static final boolean[] SHARED = new boolean[1000];

    static {
        for (int code : PHONES.getSupportedCallingCodes()) {
            if (code > 0 && code < 1000) {
                List<String> regions = PHONES.getRegionCodesForCountryCode(code);
                SHARED[code] = regions.size() > 1;
                ONLY[code] = regions.size() == 1 ? regions.get(0) : null;
            }
        }
    }

    private RecipientCountry() {
    }

    /** {@code null} when neither identifier tells the region. */
    static String of(String waId, String businessScopedUserId) {
        String region = fromNumber(waId);
        return region != null ? region : fromUserId(businessScopedUserId);
    }

    static String fromNumber(String waId) {
        if (waId == null || waId.length() < 4 || waId.length() > 20) {
            return null;
        }
        int from = waId.startsWith("+") ? 1 : 0;
        int code = 0;
        for (int length = 1; length <= 3 && from + length < waId.length(); length++) {
            // as Integer.parseInt reads the prefix (any Unicode decimal digit)
            int digit = Character.digit(waId.charAt(from + length - 1), 10);
            if (digit < 0) {
                return null;
            }
            code = code * 10 + digit;
            if (SHARED[code]) {
                try {
                    return known(PHONES.getRegionCodeForNumber(PHONES.parse("+" + waId.substring(from), null)));
                } catch (NumberParseException e) {
                    return known(PHONES.getRegionCodeForCountryCode(code));
                }
            }
            if (ONLY[code] != null) {
                return known(ONLY[code]);
            }
        }
        return null;
    }

    static String fromUserId(String userId) {
        if (userId == null || userId.length() < 4 || userId.charAt(2) != '.') {
            return null;
        }
        String prefix = userId.substring(0, 2);
        return prefix.chars().allMatch(c -> c >= 'A' && c <= 'Z') && PHONES.getSupportedRegions().contains(prefix) ? prefix : null;
    }

    private static String known(String region) {
        return region == null || "ZZ".equals(region) || "001".equals(region) ? null : region;
    }
}
