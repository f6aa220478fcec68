package io.sohbet.kit.privacy;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The KVKK destruction regulation's longest interval between periodic destructions (art. 11): 6 months, or 3 months for
 * a controller exempt from VERBİS registration. Every service's retention job checks its schedule (a Quartz cron) with
 * {@link #problem} at startup and refuses to start otherwise, with the reason ({@link #require}). Months are calendar
 * months: no run may follow the previous one later than the same day 6 (3) months after. Needs {@code cron-utils}
 * (the Quarkus scheduler's parser) on the service's class path.
 */
public final class DestructionInterval {

    /** How far ahead the schedule is walked: 4 years cover every cron pattern's leap-year cycle. */
    static final Duration HORIZON = Duration.ofDays(4 * 366);
    /** The walk's step: every gap longer than this contains a step, so no gap longer than the limit is missed. */
    static final Duration STEP = Duration.ofHours(12);

    private DestructionInterval() {
    }

    /** The longest interval allowed between two retention runs, in months. */
    public static int limitMonths(boolean verbisExempt) {
        return verbisExempt ? 3 : 6;
    }

    /** Throws {@link IllegalStateException} with the reason when {@link #problem} finds one (a startup check). */
    public static void require(String cronSetting, String exemptSetting, String cron, boolean verbisExempt) {
        problem(cronSetting, exemptSetting, cron, verbisExempt, ZonedDateTime.now(ZoneOffset.UTC)).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    /**
     * Why {@code cron} (Quartz syntax), the value of the setting {@code cronSetting}, is not an allowed retention
     * schedule as of {@code now}; empty when it is. {@code exemptSetting} names the VERBİS exemption in the reason.
     */
    public static Optional<String> problem(String cronSetting, String exemptSetting, String cron, boolean verbisExempt,
            ZonedDateTime now) {
        int months = limitMonths(verbisExempt);
        String rule = cronSetting + " must run the retention job at least every " + months
                + " months (KVKK destruction regulation art. 11: periodic destruction at most every "
                + (verbisExempt ? "3 months for a VERBİS-exempt controller, " + exemptSetting + "=true" : "6 months")
                + ")";
        ExecutionTime schedule;
        try {
            Cron parsed = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ)).parse(cron);
            schedule = ExecutionTime.forCron(parsed);
        } catch (IllegalArgumentException e) {
            return Optional.of(rule + ", but \"" + cron + "\" is not a Quartz cron expression: " + e.getMessage());
        }
        Optional<ZonedDateTime> first = schedule.nextExecution(now);
        if (first.isEmpty() || first.get().isAfter(now.plusMonths(months))) {
            return Optional.of(rule + ", but \"" + cron + "\" does not run within " + months + " months from now");
        }
        for (ZonedDateTime t = first.get(); t.isBefore(now.plus(HORIZON)); t = t.plus(STEP)) {
            Optional<ZonedDateTime> previous = schedule.lastExecution(t.plusSeconds(1));
            Optional<ZonedDateTime> next = schedule.nextExecution(t);
            if (next.isEmpty()) {
                return Optional.of(rule + ", but \"" + cron + "\" stops running after " + previous.map(Object::toString).orElse("?"));
            }
            if (previous.isPresent() && next.get().isAfter(previous.get().plusMonths(months))) {
                return Optional.of(rule + ", but \"" + cron + "\" runs on " + previous.get().toLocalDate() + " and next on "
                        + next.get().toLocalDate());
            }
        }
        return Optional.empty();
    }
}
