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
        String digits = waId.startsWith("+") ? waId.substring(1) : waId;
        for (int length = 1; length <= 3 && length < digits.length(); length++) {
            int code;
            try {
                code = Integer.parseInt(digits.substring(0, length));
            } catch (NumberFormatException e) {
                return null;
            }
            List<String> regions = PHONES.getRegionCodesForCountryCode(code);
            if (regions.isEmpty()) {
                continue;
            }
            if (regions.size() == 1) {
                return known(regions.get(0));
            }
            try {
                return known(PHONES.getRegionCodeForNumber(PHONES.parse("+" + digits, null)));
            } catch (NumberParseException e) {
                return known(PHONES.getRegionCodeForCountryCode(code));
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
