package io.sohbet.consent.service;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.quarkus.runtime.StartupEvent;
import io.sohbet.consent.config.ConsentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Keeps the retention job's schedule ({@code sohbet.consent.retention.cron}) within the KVKK destruction regulation's
 * longest interval between periodic destructions (art. 11): 6 months, or 3 months for a controller exempt from VERBİS
 * registration ({@code sohbet.consent.verbis-exempt=true}). The service refuses to start otherwise, with the reason.
 * Months are calendar months: no run may follow the previous one later than the same day 6 (3) months after.
 */
@ApplicationScoped
public class RetentionSchedule {

    /** How far ahead the schedule is walked: 4 years cover every cron pattern's leap-year cycle. */
    static final Duration HORIZON = Duration.ofDays(4 * 366);
    /** The walk's step: every gap longer than this contains a step, so no gap longer than the limit is missed. */
    static final Duration STEP = Duration.ofHours(12);

    private final ConsentConfig config;

    public RetentionSchedule(ConsentConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent started) {
        problem(config.retention().cron(), config.verbisExempt(), ZonedDateTime.now(ZoneOffset.UTC)).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    /** The longest interval allowed between two retention runs, in months. */
    static int limitMonths(boolean verbisExempt) {
        return verbisExempt ? 3 : 6;
    }

    /** Why {@code cron} (Quartz syntax) is not an allowed retention schedule as of {@code now}; empty when it is. */
    static Optional<String> problem(String cron, boolean verbisExempt, ZonedDateTime now) {
        int months = limitMonths(verbisExempt);
        String rule = "sohbet.consent.retention.cron must run the retention job at least every " + months
                + " months (KVKK destruction regulation art. 11: periodic destruction at most every "
                + (verbisExempt ? "3 months for a VERBİS-exempt controller, sohbet.consent.verbis-exempt=true" : "6 months")
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
