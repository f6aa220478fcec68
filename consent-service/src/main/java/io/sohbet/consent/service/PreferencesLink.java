package io.sohbet.consent.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.format.DateTimeFormatter;

/**
 * {@code TERCİHLERİM} / {@code PREFERENCES}: a one-time link to the preference page ({@link PreferenceLinks}), in the
 * keyword's language, and until when it works. Without a configured page address the person is told to write
 * {@code İZİNLERİM} instead (and the operator sees it in the start-up check of the chart's values, not here).
 */
@ApplicationScoped
public class PreferencesLink implements SelfServiceCommand {

    private static final DateTimeFormatter WHEN = ConsentsSummary.WHEN;

    private final PreferenceLinks links;

    public PreferencesLink(PreferenceLinks links) {
        this.links = links;
    }

    @Override
    public String name() {
        return "preferences";
    }

    @Override
    public Uni<JsonObject> answer(Asked asked) {
        if (!links.enabled()) {
            return Uni.createFrom().item(SelfServiceCommand.text(asked.english()
                    ? "The preference page is not available. Write MY CONSENTS to see your consents, or STOP to stop marketing messages."
                    : "Tercih sayfası şu anda kullanılamıyor. İzinlerinizi görmek için İZİNLERİM, pazarlama mesajlarını durdurmak için DUR yazın."));
        }
        return links.issue(asked.subject(), asked.language(), PreferenceLinks.BY_THE_PERSON).map(issued -> SelfServiceCommand.text(asked.english()
                ? "Your preference page, where you can see and change each consent: " + issued.url()
                        + "\nThe link works once, until " + WHEN.format(issued.expiresAt()) + ". Do not share it."
                : "İzinlerinizi görebileceğiniz ve değiştirebileceğiniz tercih sayfanız: " + issued.url()
                        + "\nBağlantı bir kez ve " + WHEN.format(issued.expiresAt()) + " tarihine kadar çalışır. Kimseyle paylaşmayın."));
    }
}
