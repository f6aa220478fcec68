package io.sohbet.consent.iys;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.consent.service.MasterKeys;
import io.sohbet.events.FieldCipher;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * İYS and erasure (README, İYS: erasure). İYS keeps its own record of a person's consent: an erasure here cannot delete
 * it, and an ONAY left there would tell every intermediary that the brand may still message the number. An erasure
 * request withdraws every consent, and a rejection must reach İYS within 3 business days (Law 6563, the Regulation on
 * commercial electronic messages), a legal obligation that KVKK Art. 5(2)(ç) lets us meet with the number after the
 * erasure. So, in the erasure's transaction and before the ledger, vault and key are deleted, each mirrored channel on
 * which İYS holds (or is being sent) the person's ONAY gets a RET to upload, dated at the erasure: the number alone,
 * no subject id, sealed with a key of its own wrapped by the master key. Every sync interval the due RETs are uploaded
 * one by one (the {@code add} rate limit); once İYS answered ({@code accepted}, or {@code refused} with its reason) or
 * after {@code max-attempts} ({@code failed}), the number and its key are deleted. Nothing personal is logged.
 */
@ApplicationScoped
public class IysErasure {

    private static final Logger LOG = Logger.getLogger(IysErasure.class);
    private static final int PER_ROUND = 20;

    private final IysConfig config;
    private final IysClient client;
    private final IysOutbound outbound;
    private final MasterKeys masterKeys;
    private final Database database;

    public IysErasure(ConsentConfig config, IysClient client, IysOutbound outbound, KeyVault keys, Database database) {
        this.config = config.iys();
        this.client = client;
        this.outbound = outbound;
        this.masterKeys = keys.masterKeys();
        this.database = database;
    }

    /**
     * Queues the RETs owed to İYS for {@code subject}, about to be erased: call in the erasure's transaction, before
     * anything is deleted. How many were queued.
     */
    public Uni<Integer> beforeErasure(String subject) {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(config.channels().keySet().stream().sorted().toList())
                .onItem().transformToUniAndConcatenate(channel -> database.list(
                                "SELECT status FROM iys_record WHERE subject_id = $1 AND channel = $2 "
                                        + "AND state IN ('sending', 'sent', 'accepted', 'received') "
                                        + "ORDER BY consent_date DESC, ledger_entry DESC LIMIT 1",
                                row -> row.getString("status"), subject, channel)
                        .flatMap(latest -> !latest.equals(List.of("ONAY")) ? Uni.createFrom().item(0)
                                : outbound.recipient(subject, channel).flatMap(number -> number == null || !number.startsWith("+90")
                                        ? Uni.createFrom().item(0) : queue(number, config.channels().get(channel).type()))))
                .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Integer> queue(String number, String type) {
        String ref = "iys-erasure:" + UUID.randomUUID();
        byte[] key = FieldCipher.newKey();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return database.update("INSERT INTO iys_erasure_ret (key_ref, master_key_id, "
                        + "wrapped_key, recipient, type, consent_date, state, next_attempt_at, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, 'pending', $6, $6, $6)", ref, masterKeys.activeId(),
                masterKeys.wrap(ref, key), FieldCipher.encrypt(key, ref, number), type, now);
    }

    @Scheduled(every = "${sohbet.consent.iys.sync-interval:1m}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return upload().onFailure().recoverWithItem(e -> {
            LOG.warnf("uploading the RETs of erased people to İYS failed, next run in %s: %s", config.syncInterval(),
                    e.getClass().getSimpleName());
            return null;
        });
    }

    /** Uploads the due RETs, each in its own transaction holding its row (another replica skips it). */
    public Uni<Void> upload() {
        return database.pool().query("SELECT id FROM iys_erasure_ret WHERE state = 'pending' "
                        + "AND next_attempt_at <= now() ORDER BY id LIMIT " + PER_ROUND).execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows)).map(row -> row.getLong(0))
                .onItem().transformToUniAndConcatenate(this::uploadOne)
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> uploadOne(long id) {
        return database.pool().withTransaction(tx -> tx.preparedQuery("SELECT key_ref, master_key_id, wrapped_key, "
                        + "recipient, type, consent_date, attempts FROM iys_erasure_ret "
                        + "WHERE id = $1 AND state = 'pending' FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(id)).flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row r = rows.iterator().next();
                    String ref = r.getString("key_ref");
                    int attempts = r.getInteger("attempts") + 1;
                    IysConsent ret;
                    try {
                        byte[] key = masterKeys.unwrap(ref, r.getString("master_key_id"), r.getString("wrapped_key"));
                        ret = new IysConsent(FieldCipher.decrypt(key, ref, r.getString("recipient")), "BIREYSEL",
                                r.getString("type"), "RET", config.defaultSource(),
                                IysConsent.date(r.getOffsetDateTime("consent_date").toInstant()));
                    } catch (RuntimeException e) {
                        return done(tx, id, "failed", null, "unreadable: " + e.getClass().getSimpleName(), attempts);
                    }
                    return client.add(ret)
                            .flatMap(transaction -> done(tx, id, "accepted", transaction, null, attempts))
                            .onFailure(IysRefusedException.class).recoverWithUni(e -> done(tx, id, "refused", null,
                                    ((IysRefusedException) e).reason(), attempts))
                            .onFailure(e -> !(e instanceof IysRefusedException)).recoverWithUni(e -> {
                                if (attempts >= config.maxAttempts()) {
                                    return done(tx, id, "failed", null, e.getClass().getSimpleName(), attempts);
                                }
                                Duration backoff = config.retryBackoff().multipliedBy(1L << Math.min(6, attempts - 1));
                                backoff = backoff.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : backoff;
                                return tx.preparedQuery("UPDATE iys_erasure_ret SET attempts = $2, reason = $3, "
                                                + "next_attempt_at = $4, updated_at = now() WHERE id = $1")
                                        .execute(Tuple.of(id, attempts, e.getClass().getSimpleName(),
                                                Instant.now().plus(backoff).atOffset(ZoneOffset.UTC))).replaceWithVoid();
                            });
                }));
    }

    /** İYS answered, or we gave up: the number and its key are deleted. */
    private static Uni<Void> done(io.vertx.mutiny.sqlclient.SqlConnection tx, long id, String state, String transaction,
            String reason, int attempts) {
        List<Object> values = new ArrayList<>(List.of(id, state, attempts));
        values.add(transaction);
        values.add(reason);
        return tx.preparedQuery("UPDATE iys_erasure_ret SET state = $2, attempts = $3, transaction_id = $4, reason = $5, "
                        + "recipient = NULL, wrapped_key = NULL, master_key_id = NULL, updated_at = now() WHERE id = $1")
                .execute(Tuple.from(values)).replaceWithVoid();
    }
}
