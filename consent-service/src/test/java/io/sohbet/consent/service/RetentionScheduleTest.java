package io.sohbet.consent.service;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** The retention schedule may not leave more than 6 months (3 when VERBİS-exempt) between two periodic destructions. */
class RetentionScheduleTest {

    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 1, 4, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void dailyWeeklyAndMonthlySchedulesAreAllowed() {
        for (String cron : new String[] {"0 20 3 * * ?", "0 0 4 ? * MON", "0 0 2 1 * ?", "0 0 0 1 1,4,7,10 ?"}) {
            assertThat(RetentionSchedule.problem(cron, false, NOW)).as(cron).isEmpty();
            assertThat(RetentionSchedule.problem(cron, true, NOW)).as(cron).isEmpty();
        }
    }

    @Test
    void everySixMonthsIsTheLongestAndThreeWhenVerbisExempt() {
        // 1 January and 1 July: 6 calendar months apart, allowed; not for a VERBİS-exempt controller
        assertThat(RetentionSchedule.problem("0 0 0 1 1,7 ?", false, NOW)).isEmpty();
        assertThat(RetentionSchedule.problem("0 0 0 1 1,7 ?", true, NOW)).get().asString()
                .contains("at least every 3 months").contains("sohbet.consent.verbis-exempt=true")
                .contains("runs on 2027-01-01 and next on 2027-07-01");
        // once a year
        assertThat(RetentionSchedule.problem("0 0 0 2 1 ?", false, NOW)).get().asString()
                .startsWith("sohbet.consent.retention.cron must run the retention job at least every 6 months (KVKK "
                        + "destruction regulation art. 11").contains("runs on 2027-01-02 and next on 2028-01-02");
        assertThat(RetentionSchedule.problem("0 0 0 1 1/5 ?", false, NOW)).isEmpty(); // Jan, Jun, Nov: 5 and 2 months
        assertThat(RetentionSchedule.problem("0 0 0 1 1/7 ?", false, NOW)).get().asString() // Jan and Aug: 7 months
                .contains("runs on 2027-01-01 and next on 2027-08-01");
    }

    @Test
    void aScheduleThatStopsOrIsNotCronIsRefused() {
        assertThat(RetentionSchedule.problem("0 0 0 1 * ? 2027", false, NOW)).get().asString().contains("stops running after");
        assertThat(RetentionSchedule.problem("every day", false, NOW)).get().asString().contains("is not a Quartz cron expression");
        assertThat(RetentionSchedule.problem("0 0 0 30 2 ?", false, NOW)).get().asString().contains("\"0 0 0 30 2 ?\"");
    }
}
