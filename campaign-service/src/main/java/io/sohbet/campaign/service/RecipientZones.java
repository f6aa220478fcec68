package io.sohbet.campaign.service;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * A recipient's time zone, from their number's country and area (libphonenumber's geocoder data): the first zone the
 * number maps to ({@code +90…} Europe/Istanbul, {@code +994…} Asia/Baku, {@code +49…} Europe/Berlin). Only the zone is
 * kept; the number is not.
 */
public final class RecipientZones {

    private RecipientZones() {
    }

    /** The zone of an E.164 number, or null when the number maps to none. */
    public static ZoneId of(String phone) {
        if (phone == null) {
            return null;
        }
        try {
            List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(PhoneNumberUtil.getInstance().parse(phone, "TR"));
            if (!zones.isEmpty() && !zones.get(0).equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
                return ZoneId.of(zones.get(0));
            }
        } catch (NumberParseException | DateTimeException e) {
            // unknown zone
        }
        return null;
    }

    /** A zone id as stored on a row, or null when absent or not a zone. */
    static ZoneId parse(String id) {
        if (id == null) {
            return null;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
