package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.domain.DsrRequest;
import io.sohbet.consent.domain.Identity;
import io.sohbet.consent.repository.Database;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code VERİLERİM} / {@code MY DATA}: the categories held about the person, never the data itself (WhatsApp is no
 * place for an access export): which contact details consent-service holds, how many consent entries and their
 * current states, the person's open requests, and by service the categories the other services hold under a
 * pseudonymous id (from the data inventory, {@link DataInventory}); and how to get a full copy.
 */
@ApplicationScoped
public class DataSummary implements SelfServiceCommand {

    private final Database database;
    private final IdentityVault identities;
    private final ConsentLedger ledger;
    private final Map<String, Set<String>> otherServices;

    public DataSummary(Database database, IdentityVault identities, ConsentLedger ledger, DataInventory inventory) {
        this.database = database;
        this.identities = identities;
        this.ledger = ledger;
        Map<String, Set<String>> out = new TreeMap<>();
        for (DataInventory.Entry entry : inventory.entries()) {
            if (!"consent-service".equals(entry.service())) {
                out.computeIfAbsent(entry.service(), s -> new TreeSet<>()).add(entry.category());
            }
        }
        this.otherServices = Map.copyOf(out);
    }

    @Override
    public String name() {
        return "data";
    }

    @Override
    public Uni<JsonObject> answer(Asked asked) {
        String subject = asked.subject();
        return identities.stored(subject)
                .flatMap(identity -> ledger.history(subject).flatMap(history -> database.list(
                                "SELECT * FROM dsr_request WHERE subject_id = $1 AND status <> $2", DsrRequest::from, subject,
                                DsrRequest.COMPLETED)
                        .map(open -> SelfServiceCommand.text(text(identity, history, open, asked.english())))));
    }

    String text(Identity identity, List<ConsentRecord> history, List<DsrRequest> open, boolean english) {
        StringBuilder out = new StringBuilder(english ? "What we hold about you (categories only):"
                : "Hakkınızda tuttuğumuz veriler (yalnızca kategoriler):");
        List<String> fields = new ArrayList<>();
        if (identity != null && identity.phone != null) {
            fields.add(english ? "phone number" : "telefon numarası");
        }
        if (identity != null && identity.name != null) {
            fields.add(english ? "name" : "ad");
        }
        if (identity != null && identity.email != null) {
            fields.add(english ? "e-mail address" : "e-posta adresi");
        }
        out.append(english ? "\n• Identity and contact (encrypted): " : "\n• Kimlik ve iletişim (şifreli): ")
                .append(fields.isEmpty() ? (english ? "none" : "yok") : String.join(", ", fields));
        List<ConsentRecord> current = ConsentLedger.current(history);
        out.append(english ? "\n• Consents: " : "\n• İzinler: ").append(history.size())
                .append(english ? " entries with their proof" : " kayıt, kanıtlarıyla");
        for (ConsentRecord r : current) {
            out.append("; ").append(SelfServiceTexts.purpose(r.purpose, english)).append(": ").append(SelfServiceTexts.state(r.state, english));
        }
        if (!open.isEmpty()) {
            out.append(english ? "\n• Your open requests: " : "\n• Açık talepleriniz: ")
                    .append(String.join(", ", open.stream().map(r -> r.type).toList()));
        }
        out.append(english ? "\n• Under a pseudonymous id, not your number:" : "\n• Numaranız yerine takma bir kimlikle:");
        otherServices.forEach((service, categories) -> out.append("\n   ").append(service).append(": ")
                .append(String.join(", ", categories.stream().map(c -> SelfServiceTexts.category(c, english)).toList())));
        out.append(english ? "\n\nFor a full copy, ask our privacy officer. To erase everything, write DELETE MY DATA."
                : "\n\nTam bir kopya için veri sorumlumuza başvurun. Her şeyi silmek için VERİLERİMİ SİL yazın.");
        return out.toString();
    }
}
