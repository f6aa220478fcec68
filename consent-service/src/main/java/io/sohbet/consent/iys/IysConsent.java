package io.sohbet.consent.iys;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One consent as İYS takes it: {@code recipient} a phone as {@code +90…} or an e-mail address, {@code recipientType}
 * BIREYSEL or TACIR, {@code type} MESAJ, ARAMA or EPOSTA, {@code status} ONAY or RET, {@code source} an {@code HS_*}
 * value, {@code consentDate} {@code yyyy-MM-dd HH:mm:ss} in GMT+3. Holds a phone number: never log it.
 */
@RegisterForReflection
public record IysConsent(String recipient, String recipientType, String type, String status, String source,
        String consentDate) {

    /** İYS's time zone. */
    public static final ZoneOffset ZONE = ZoneOffset.ofHours(3);
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** An instant as İYS writes it. */
    public static String date(Instant at) {
        return DATE.format(LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.SECONDS), ZONE));
    }

    /** An İYS date as an instant. */
    public static Instant instant(String date) {
        return LocalDateTime.parse(date, DATE).toInstant(ZONE);
    }

    @Override
    public String toString() {
        return "IysConsent[" + type + " " + status + " " + source + " " + consentDate + "]";
    }
}
