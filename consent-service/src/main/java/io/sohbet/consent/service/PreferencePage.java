package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.domain.PreferenceLink;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.rest.ConsentRequest;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the preference page shows and does: each purpose's current state on WhatsApp (the ledger's current entry) with
 * the notice version it was granted under, and a grant or withdrawal, recorded like any other consent change
 * ({@link ConsentLedger#append}: the person's lock, {@code consent.change} through the outbox, İYS, the audit log) with
 * source {@code preference-page}, recorded by {@code preference-link:<id>}, and the browser's user agent and IP
 * address as evidence (encrypted). A grant records the purpose's configured notice; without one it is refused.
 */
@ApplicationScoped
public class PreferencePage {

    /** The purposes the page lists, in this order. */
    public static final List<String> PURPOSES = List.of("marketing", "analytics", "profiling");
    public static final String SOURCE = "preference-page";
    static final String CHANNEL = "whatsapp";

    private final ConsentLedger ledger;
    private final ErasureLock lock;
    private final Map<String, ConsentConfig.Preferences.Notice> notices;
    private final Map<String, ConsentConfig.Preferences.Notice> configured;
    private final Database database;

    public PreferencePage(ConsentLedger ledger, ErasureLock lock, ConsentConfig config, Database database) {
        this.ledger = ledger;
        this.lock = lock;
        this.database = database;
        // a grant needs a notice the person can read: one without a url is treated as none
        this.notices = config.preferences().notices().entrySet().stream().filter(e -> e.getValue().url().isPresent())
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
        this.configured = config.preferences().notices();
    }

    /** Bad notice settings fail the start, with what is wrong (not a grant recording a malformed proof later). */
    void check(@Observes StartupEvent start) {
        List<String> problems = problems(configured);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("sohbet.consent.preferences.notices: " + String.join("; ", problems));
        }
    }

    /** What is wrong with these notice settings, as the ledger's REST path would judge the notice (ConsentRequest.Notice). */
    static List<String> problems(Map<String, ConsentConfig.Preferences.Notice> notices) {
        List<String> problems = new java.util.ArrayList<>();
        new java.util.TreeMap<>(notices).forEach((purpose, notice) -> {
            String at = purpose + ".";
            if (!PURPOSES.contains(purpose)) {
                problems.add(purpose + " is not a purpose of the page (" + String.join(", ", PURPOSES) + ")");
            }
            if (notice.id() == null || notice.id().isBlank() || notice.id().length() > 100) {
                problems.add(at + "id must be 1 to 100 characters");
            }
            if (notice.version() == null || notice.version().isBlank() || notice.version().length() > 40) {
                problems.add(at + "version must be 1 to 40 characters");
            }
            if (notice.sha256() == null || !notice.sha256().matches("[0-9a-f]{64}")) {
                problems.add(at + "sha256 must be the SHA-256 of the notice's text as 64 lowercase hex digits");
            }
            notice.url().ifPresent(url -> {
                if (!"https".equalsIgnoreCase(url.getScheme()) && !"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
                    problems.add(at + "url must be an absolute http(s) address");
                }
            });
        });
        return problems;
    }

    /** One purpose as shown: its current entry on WhatsApp (null: never recorded) and the notice a grant would record. */
    public record Purpose(String purpose, ConsentRecord current, ConsentConfig.Preferences.Notice notice, boolean withdrawOnly) {

        public boolean granted() {
            return current != null && "granted".equals(current.state);
        }
    }

    /** A grant asked for a purpose without a configured notice. */
    public static final class NoNoticeException extends RuntimeException {

        public NoNoticeException() {
            super("no notice is configured for this purpose", null, false, false);
        }
    }

    /** A grant asked through a link the person did not ask for themselves (an officer's: withdraw-only). */
    public static final class WithdrawOnlyException extends RuntimeException {

        public WithdrawOnlyException() {
            super("a link issued by someone else than the person only withdraws", null, false, false);
        }
    }

    public Uni<List<Purpose>> purposes(PreferenceLink link) {
        return ledger.history(link.subjectId).map(history -> {
            List<ConsentRecord> current = ConsentLedger.current(history);
            return PURPOSES.stream().map(purpose -> new Purpose(purpose, current.stream()
                    .filter(r -> r.purpose.equals(purpose) && CHANNEL.equals(r.channel)).findFirst().orElse(null),
                    notices.get(purpose), PreferenceLinks.withdrawOnly(link))).toList();
        });
    }

    /** Whether a grant of this purpose can be recorded (its notice is configured, with a url to read it at). */
    public Optional<ConsentConfig.Preferences.Notice> notice(String purpose) {
        return Optional.ofNullable(notices.get(purpose));
    }

    /** Records the person's grant ({@code grant}) or withdrawal of a purpose, as made through the link's session. */
    public Uni<ConsentRecord> change(PreferenceLink link, String purpose, boolean grant, String userAgent, String ip) {
        ConsentRequest.Notice notice = null;
        if (grant && PreferenceLinks.withdrawOnly(link)) {
            return Uni.createFrom().failure(new WithdrawOnlyException());
        }
        if (grant) {
            ConsentConfig.Preferences.Notice configured = notices.get(purpose);
            if (configured == null) {
                return Uni.createFrom().failure(new NoNoticeException());
            }
            notice = new ConsentRequest.Notice(configured.id(), configured.version(), configured.sha256());
        }
        ConsentRequest request = new ConsentRequest(null, purpose, CHANNEL, grant ? "granted" : "revoked", SOURCE, notice,
                Instant.now(), new ConsentRequest.Evidence(null, clip(ip, 64), clip(userAgent, 500)));
        // the session was checked before this transaction: checked again under the person's erasure lock, so nothing is
        // written (and no new data key made) for a person erased meanwhile, whose links the erasure deleted
        return database.inTransaction(() -> lock.holdAndCheck(link.subjectId, link.createdAt).flatMap(erased -> erased
                ? Uni.createFrom().<PreferenceLink>nullItem()
                : database.first("SELECT * FROM preference_link WHERE id = $1", PreferenceLink::from, link.id))
                .flatMap(live -> live == null || live.revokedAt != null
                        ? Uni.createFrom().failure(new PreferenceLinks.LinkRefusedException(PreferenceLinks.Refusal.GONE))
                        : ledger.append(link.subjectId, request, "preference-link:" + link.id)));
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
