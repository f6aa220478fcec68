package io.sohbet.consent.service;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.messaging.DestructionDeadLetters;
import io.sohbet.consent.messaging.DestructionRecorder;
import io.sohbet.consent.repository.Database;
import io.sohbet.events.CloudEvent;
import io.sohbet.events.payload.PrivacyDestruction;
import io.sohbet.kit.messaging.TransientFailures;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records again the retention runs that went to {@code privacy.destruction.dlq} ({@link DestructionDeadLetters}): a run
 * the recorder could not write for its whole retry window (the database down) would otherwise be lost, and a KVKK
 * destruction record must be kept for at least 3 years. Every record of the topic is checked as the consumer checks it
 * ({@link DestructionRecorder#problem}) and written by {@link DestructionRecords#reported}, one transaction per record,
 * once per (service, run id) under its advisory lock: a run recorded before (by the consumer, an earlier replay, or a
 * copy dead-lettered twice) counts as already recorded, so a replay can be run any number of times. A run that names a
 * service not allowed to write the topic, or destroys nothing, stays rejected, and is listed with why on every replay
 * until the topic's retention drops it. Audited (who, and the counts). Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class DestructionReplay {

    /** The action of the replay's audit entry. */
    public static final String ACTION = "kvkk.destruction.dead-letters.replayed";
    private static final Logger LOG = Logger.getLogger(DestructionReplay.class);

    /**
     * The replay's audit entry could not be written (the database unreachable): answered as 503, with what this call
     * recorded before that (those runs are recorded; a new replay finds them recorded before).
     */
    public static final class Unaudited extends RuntimeException {

        public Unaudited(int recorded, int failed, String reason) {
            super("The database could not be written (" + reason + "): " + recorded + " runs recorded, " + failed
                    + " failed, and the replay could not be audited. Call again when the database is back.");
        }
    }

    /** A record that was not recorded: where it is, what it names (no personal data in a run) and why. */
    public record Unrecorded(int partition, long offset, String service, String runId, String reason) {
    }

    /**
     * What a replay did: records read, runs recorded now, runs found recorded before, records refused (they stay
     * refused), records whose recording failed now (a later replay tries them again), and records the timeout left unread.
     */
    public record Result(String deadLetterTopic, int read, int recorded, int alreadyRecorded, List<Unrecorded> rejected,
            List<Unrecorded> failed, long remaining) {
    }

    private final Database database;
    private final DestructionDeadLetters deadLetters;
    private final DestructionRecords destructions;
    private final AuditLog audit;

    public DestructionReplay(Database database, DestructionDeadLetters deadLetters, DestructionRecords destructions,
            AuditLog audit) {
        this.database = database;
        this.deadLetters = deadLetters;
        this.destructions = destructions;
        this.audit = audit;
    }

    public Result replay(String actor) {
        DestructionDeadLetters.Read read = deadLetters.readAll();
        int recorded = 0;
        int already = 0;
        List<Unrecorded> rejected = new ArrayList<>();
        List<Unrecorded> failed = new ArrayList<>();
        for (DestructionDeadLetters.DeadLetter letter : read.records()) {
            PrivacyDestruction run = run(letter.event());
            String problem = letter.event() == null ? "not a Sohbet CloudEvent"
                    : run == null ? "not a privacy.destruction event" : DestructionRecorder.problem(run);
            if (problem != null) {
                rejected.add(unrecorded(letter, run, problem));
                continue;
            }
            try {
                boolean written = await(() -> database.inTransaction(() -> destructions.reported(run)));
                if (written) {
                    recorded++;
                } else {
                    already++;
                }
            } catch (RuntimeException e) {
                failed.add(unrecorded(letter, run, "could not be recorded now (" + TransientFailures.reason(e) + "): replay again"));
            }
        }
        Result result = new Result(DestructionDeadLetters.TOPIC, read.records().size(), recorded, already, rejected, failed,
                read.remaining());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("deadLetterTopic", result.deadLetterTopic());
        details.put("read", result.read());
        details.put("recorded", recorded);
        details.put("alreadyRecorded", already);
        details.put("rejected", rejected.size());
        details.put("failed", failed.size());
        details.put("remaining", result.remaining());
        try {
            await(() -> database.inTransaction(() -> audit.append(actor, ACTION, null, details)));
        } catch (RuntimeException e) {
            // the database is down (the records failed for the same reason): nothing unaudited is answered as done
            throw new Unaudited(recorded, failed.size(), TransientFailures.reason(e));
        }
        LOG.infof("replay of %s: %d read, %d recorded, %d recorded before, %d rejected, %d failed, %d left unread",
                DestructionDeadLetters.TOPIC, result.read(), recorded, already, rejected.size(), failed.size(), result.remaining());
        return result;
    }

    /** Runs {@code work} on a Vert.x context from this worker thread and waits for it. */
    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivacyDestruction run(CloudEvent event) {
        if (event == null || event.data() == null) {
            return null;
        }
        try {
            return event.dataAs(PrivacyDestruction.class);
        } catch (RuntimeException notARun) {
            return null;
        }
    }

    private static Unrecorded unrecorded(DestructionDeadLetters.DeadLetter letter, PrivacyDestruction run, String reason) {
        return new Unrecorded(letter.partition(), letter.offset(), run == null ? null : run.service(),
                run == null ? null : run.runId(), reason);
    }
}
