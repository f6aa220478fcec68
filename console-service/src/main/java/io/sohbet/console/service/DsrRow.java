package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;
import io.sohbet.console.client.ConsentViews;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A data-subject request with the whole days left to its deadline ({@code dueAt}, the earlier of KVKK's 30 days and
 * GDPR's month, from consent-service) as calendar days in the viewer's time zone: {@code ok} with 10 or more left,
 * {@code soon} under 10, {@code late} under 5, overdue or past. An open request only; a completed one has no countdown.
 */
@TemplateData
public record DsrRow(ConsentViews.Dsr dsr, Long daysLeft, String urgency) {

    public static DsrRow of(ConsentViews.Dsr dsr, Instant now, ZoneId zone) {
        boolean open = !"completed".equals(dsr.status());
        if (!open || dsr.dueAt() == null) {
            return new DsrRow(dsr, null, null);
        }
        long days = ChronoUnit.DAYS.between(LocalDate.ofInstant(now, zone), LocalDate.ofInstant(dsr.dueAt(), zone));
        String urgency = dsr.overdue() || days < 5 ? "late" : days < 10 ? "soon" : "ok";
        return new DsrRow(dsr, days, urgency);
    }
}
