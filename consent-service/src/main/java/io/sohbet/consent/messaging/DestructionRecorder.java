package io.sohbet.consent.messaging;

import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.DestructionRecords;
import io.sohbet.events.Channels;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.TopicAccess;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.messaging.ConsumerRetry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;

/**
 * Writes the other services' retention runs ({@code privacy.destruction}) to the KVKK destruction records, once per
 * (service, run id) ({@link DestructionRecords#reported}). A run that does not say what it destroyed, or names a
 * service that may not write the topic ({@link TopicAccess#writers}), is refused and goes to the dead-letter topic:
 * the broker's ACLs already keep other writers out, this keeps a wrong record out of a legal record.
 */
@ApplicationScoped
@ApplyGuard(ConsumerRetry.GUARD) // transient failures are retried before the dead-letter topic
public class DestructionRecorder {

    private static final Logger LOG = Logger.getLogger(DestructionRecorder.class);

    static final Set<String> METHODS = Set.of(PrivacyDestruction.DELETION, PrivacyDestruction.ANONYMISATION,
            DestructionRecords.DESTRUCTION);

    private final Database database;
    private final DestructionRecords destructions;

    public DestructionRecorder(Database database, DestructionRecords destructions) {
        this.database = database;
        this.destructions = destructions;
    }

    @Incoming(Channels.PRIVACY_DESTRUCTION_IN)
    public Uni<Void> record(CloudEvent event) {
        PrivacyDestruction run = event.dataAs(PrivacyDestruction.class);
        String problem = problem(run);
        if (problem != null) {
            return Uni.createFrom().failure(new IllegalArgumentException("privacy.destruction event refused: " + problem));
        }
        return database.inTransaction(() -> destructions.reported(run))
                .invoke(written -> LOG.infof("destruction run %s of %s %s", run.runId(), run.service(),
                        written ? "recorded" : "recorded before, ignored"))
                .replaceWithVoid();
    }

    /** What is wrong with a run, or null; the replay of the dead-letter topic checks runs the same way. */
    public static String problem(PrivacyDestruction run) {
        List<String> writers = TopicAccess.writers(Topics.PRIVACY_DESTRUCTION);
        if (run == null || run.service() == null || !writers.contains(run.service())) {
            return "the service must be one of " + writers;
        }
        if (run.runId() == null || run.runId().isBlank() || run.runId().length() > 200 || run.ranAt() == null) {
            return "a run id (at most 200 characters) and the time of the run are required";
        }
        if (run.entries() == null || run.entries().isEmpty()) {
            return "the run lists nothing it destroyed";
        }
        for (PrivacyDestruction.Entry e : run.entries()) {
            if (e == null || blank(e.dataset()) || blank(e.category()) || blank(e.legalReason()) || e.records() < 1
                    || !METHODS.contains(e.method())) {
                return "each entry needs a dataset, a category, a legal reason, at least one record and a method of " + METHODS;
            }
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
