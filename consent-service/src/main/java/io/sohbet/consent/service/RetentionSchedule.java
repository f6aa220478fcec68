package io.sohbet.consent.service;

import io.quarkus.runtime.StartupEvent;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.kit.privacy.DestructionInterval;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Keeps the retention job's schedule ({@code sohbet.consent.retention.cron}) within the KVKK destruction regulation's
 * longest interval between periodic destructions (art. 11): 6 months, or 3 months for a controller exempt from VERBİS
 * registration ({@code sohbet.consent.verbis-exempt=true}). The service refuses to start otherwise, with the reason.
 * The check is the kit's ({@link DestructionInterval}), shared with the other services' retention jobs.
 */
@ApplicationScoped
public class RetentionSchedule {

    static final String CRON_SETTING = "sohbet.consent.retention.cron";
    static final String EXEMPT_SETTING = "sohbet.consent.verbis-exempt";

    private final ConsentConfig config;

    public RetentionSchedule(ConsentConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent started) {
        DestructionInterval.require(CRON_SETTING, EXEMPT_SETTING, config.retention().cron(), config.verbisExempt());
    }

    /** Why {@code cron} (Quartz syntax) is not an allowed retention schedule as of {@code now}; empty when it is. */
    static Optional<String> problem(String cron, boolean verbisExempt, ZonedDateTime now) {
        return DestructionInterval.problem(CRON_SETTING, EXEMPT_SETTING, cron, verbisExempt, now);
    }
}
