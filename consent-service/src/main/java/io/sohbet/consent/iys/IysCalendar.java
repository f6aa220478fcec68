package io.sohbet.consent.iys;

import io.sohbet.events.TurkishBusinessDays;

import java.time.Instant;
import java.time.LocalDate;

/** İYS's 3-business-day upload limit, on the Turkish business days of {@link TurkishBusinessDays}. */
public final class IysCalendar {

    private IysCalendar() {
    }

    /** The last moment a consent given at {@code consentDate} may reach İYS: the end of the 3rd business day after it. */
    public static Instant deadline(Instant consentDate) {
        LocalDate day = TurkishBusinessDays.plusBusinessDays(consentDate.atOffset(IysConsent.ZONE).toLocalDate(), 3);
        return day.plusDays(1).atStartOfDay().toInstant(IysConsent.ZONE).minusNanos(1000);
    }
}
