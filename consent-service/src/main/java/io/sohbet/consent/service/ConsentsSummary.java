package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * {@code İZİNLERİM} / {@code MY CONSENTS}: each purpose and channel with its current state (the ledger's latest entry),
 * since when and under which notice version.
 */
@ApplicationScoped
public class ConsentsSummary implements SelfServiceCommand {

    static final ZoneId ZONE = ZoneId.of("Europe/Istanbul");
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm").withZone(ZONE);

    private final ConsentLedger ledger;

    public ConsentsSummary(ConsentLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "consents";
    }

    @Override
    public Uni<JsonObject> answer(Asked asked) {
        return ledger.history(asked.subject()).map(history -> SelfServiceCommand.text(text(ConsentLedger.current(history), asked.english())));
    }

    static String text(List<ConsentRecord> current, boolean english) {
        StringBuilder out = new StringBuilder(english ? "Your consents with us:" : "Bizdeki izinleriniz:");
        if (current.isEmpty()) {
            out.append(english ? "\nNone recorded." : "\nKayıtlı izniniz yok.");
        }
        current.stream().sorted(Comparator.comparing((ConsentRecord r) -> r.purpose).thenComparing(r -> r.channel)).forEach(r -> {
            out.append("\n• ").append(SelfServiceTexts.purpose(r.purpose, english)).append(" (").append(r.channel).append("): ")
                    .append(SelfServiceTexts.state(r.state, english)).append(english ? " since " : ", ")
                    .append(WHEN.format(r.capturedAt)).append(english ? "" : " tarihinden beri");
            if (r.noticeVersion != null) {
                out.append(english ? ", notice version " : ", aydınlatma metni sürümü ").append(r.noticeVersion);
            }
        });
        out.append(english ? "\n\nTo stop marketing messages, write STOP." : "\n\nPazarlama mesajlarını durdurmak için DUR yazın.");
        return out.toString();
    }
}
