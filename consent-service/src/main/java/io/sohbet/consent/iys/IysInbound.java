package io.sohbet.consent.iys;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.config.IysConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.ConsentLedger;
import io.sohbet.consent.service.ErasureLock;
import io.sohbet.consent.service.KeyVault;
import io.sohbet.events.FieldCipher;
import io.sohbet.events.InvalidPhoneNumberException;
import io.sohbet.events.SubjectIds;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads citizens' own changes from İYS's feed ({@code source=IYS}) every {@code sohbet.consent.iys.poll-interval}
 * (default hourly; İYS itself withholds the newest hour), from the cursor kept in {@code iys_cursor}. A rejection (RET)
 * of a type we mirror revokes marketing on that channel in the ledger, when it is granted there, with source
 * {@value IysOutbound#SOURCE}, captured at the rejection's consentDate, announced as {@code consent.change} like any
 * revocation; its İYS transaction id is kept with the entry ({@code iys_record}, state {@code received}) as proof.
 * Each change has its effect once (by transaction id); the cursor moves in the transaction of the page's effects.
 * A citizen's ONAY given in İYS is not a consent to our purposes (KVKK asks for it per purpose) and changes nothing.
 */
@ApplicationScoped
public class IysInbound {

    static final String FEED = "IYS";
    private static final Logger LOG = Logger.getLogger(IysInbound.class);
    private static final int MAX_PAGES = 50;

    private final IysConfig config;
    private final IysClient client;
    private final ConsentLedger ledger;
    private final ErasureLock lock;
    private final KeyVault keys;
    private final SubjectIds phones;
    private final Database database;

    public IysInbound(ConsentConfig config, IysClient client, ConsentLedger ledger, ErasureLock lock, KeyVault keys,
            Database database) {
        this.config = config.iys();
        this.database = database;
        this.client = client;
        this.ledger = ledger;
        this.lock = lock;
        this.keys = keys;
        this.phones = new SubjectIds(config.pepper().getBytes(StandardCharsets.UTF_8), config.defaultRegion());
    }

    @Scheduled(every = "${sohbet.consent.iys.poll-interval:1h}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        if (config.channels().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return poll().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("reading İYS's change feed failed, next try in %s: %s", config.pollInterval(), e.getClass().getSimpleName());
            return null;
        });
    }

    /** Reads the feed from the cursor to its end; the number of ledger entries made. */
    public Uni<Integer> poll() {
        return database.withConnection(() -> database.first("SELECT after FROM iys_cursor WHERE feed = $1",
                        row -> row.getString("after"), FEED))
                .flatMap(after -> page(after, 0));
    }

    private Uni<Integer> page(String after, int pages) {
        return client.changes(FEED, after).flatMap(page -> database.inTransaction(() -> Multi.createFrom()
                        .iterable(page.changes()).onItem().transformToUniAndConcatenate(this::apply)
                        .collect().asList().map(done -> done.stream().mapToInt(Integer::intValue).sum())
                        .call(() -> database.update("INSERT INTO iys_cursor (feed, after, polled_at) "
                                + "VALUES ($1, $2, $3) ON CONFLICT (feed) DO UPDATE SET after = $2, polled_at = $3",
                                FEED, page.after(), Instant.now())))
                .flatMap(made -> page.changes().isEmpty() || pages + 1 >= MAX_PAGES || page.after() == null
                        || page.after().equals(after) ? Uni.createFrom().item(made)
                        : page(page.after(), pages + 1).map(more -> made + more)));
    }

    /** One change; inside the page's transaction. 1 when it revoked, else 0. */
    private Uni<Integer> apply(IysClient.Change change) {
        if (!"RET".equals(change.status()) || !"BIREYSEL".equals(change.recipientType()) || change.transactionId() == null) {
            return Uni.createFrom().item(0);
        }
        List<String> channels = config.channels().entrySet().stream().filter(e -> e.getValue().type().equals(change.type()))
                .map(Map.Entry::getKey).sorted().toList();
        if (channels.isEmpty() || "EPOSTA".equals(change.type())) {
            return Uni.createFrom().item(0);
        }
        String subject;
        try {
            subject = phones.fromPhone(change.recipient());
        } catch (InvalidPhoneNumberException e) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(channels).onItem()
                .transformToUniAndConcatenate(channel -> revoke(subject, channel, change))
                .collect().asList().map(done -> done.stream().mapToInt(Integer::intValue).sum());
    }

    private Uni<Integer> revoke(String subject, String channel, IysClient.Change change) {
        return database.count("SELECT count(*) FROM iys_record WHERE transaction_id = $1 "
                        + "AND state = 'received' AND channel = $2", change.transactionId(), channel)
                .flatMap(seen -> seen > 0 ? Uni.createFrom().item(0) : lock.hold(subject)
                        .chain(() -> database.list("SELECT state FROM consent_record "
                                        + "WHERE subject_id = $1 AND purpose = 'marketing' AND channel = $2 "
                                        + "ORDER BY captured_at DESC, id DESC LIMIT 1",
                                row -> row.getString("state"), subject, channel))
                        .flatMap(state -> !state.equals(List.of("granted")) ? Uni.createFrom().item(0)
                                : enter(subject, channel, change).replaceWith(1)));
    }

    private Uni<Void> enter(String subject, String channel, IysClient.Change change) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ConsentRecord record = new ConsentRecord();
        record.subjectId = subject;
        record.purpose = IysOutbound.MARKETING;
        record.channel = channel;
        record.state = "revoked";
        record.source = IysOutbound.SOURCE;
        record.recordedBy = "iys";
        record.recordedAt = now;
        Instant at;
        try {
            at = change.consentDate() == null ? now : IysConsent.instant(change.consentDate());
        } catch (RuntimeException unreadable) {
            at = now;
        }
        record.capturedAt = ConsentLedger.capturedAt(at, now);
        return ledger.enter(record, "iys").flatMap(saved -> keys.find(Set.of(subject)).flatMap(found -> {
            byte[] key = found.get(subject);
            String sealed = key == null ? null : FieldCipher.encrypt(key, subject, change.recipient());
            return database.update("INSERT INTO iys_record (ledger_entry, subject_id, "
                            + "channel, recipient, recipient_type, type, status, source, consent_date, deadline, state, "
                            + "transaction_id, next_attempt_at, created_at, updated_at) "
                            + "VALUES ($1, $2, $3, $4, 'BIREYSEL', $5, 'RET', $6, $7, $7, 'received', $8, $9, $9, $9)",
                    saved.id, subject, channel, sealed, change.type(), change.source(), record.capturedAt,
                    change.transactionId(), now).replaceWithVoid();
        }));
    }
}
