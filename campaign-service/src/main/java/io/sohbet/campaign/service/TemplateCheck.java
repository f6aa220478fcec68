package io.sohbet.campaign.service;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.TemplateCatalog;
import io.sohbet.campaign.client.TemplateCatalog.Button;
import io.sohbet.campaign.client.TemplateCatalog.WabaTemplate;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.sohbet.campaign.domain.CampaignDefinition.Message;
import io.sohbet.campaign.domain.CampaignDefinition.Template;
import io.sohbet.kit.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a campaign's template messages against the WhatsApp Business Account's templates before it is scheduled or
 * resumed: the template exists in that language, is {@code APPROVED}, and the message gives exactly the parameters it
 * takes (body count, header parameter of the right kind, the URL button's suffix as the tracked link, quick replies
 * on quick-reply buttons). A message Meta would refuse with 132000/132001/132015/132016 is caught here, before
 * anyone is planned.
 */
@ApplicationScoped
public class TemplateCheck {

    private final TemplateCatalog catalog;

    public TemplateCheck(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The same, from a list read from the Cloud API now: a resume must not trust a cache that another replica's template
     * webhook did not empty (the one that received it paused the campaign; this one may still hold "APPROVED").
     */
    public Uni<List<FieldError>> freshProblems(CampaignDefinition d) {
        catalog.invalidate();
        return problems(d);
    }

    /** What is wrong with the campaign's templates (empty: nothing); fails with {@link TemplateCatalog.Unavailable}. */
    public Uni<List<FieldError>> problems(CampaignDefinition d) {
        if (d.variants().stream().noneMatch(v -> v.message().type().equals("template") && v.message().template() != null)) {
            return Uni.createFrom().item(List.of());
        }
        return catalog.templates().map(all -> problems(d, all));
    }

    static List<FieldError> problems(CampaignDefinition d, Map<String, List<WabaTemplate>> all) {
        List<FieldError> out = new ArrayList<>();
        for (int i = 0; i < d.variants().size(); i++) {
            Message m = d.variants().get(i).message();
            if (m.type().equals("template") && m.template() != null) {
                check(m, "/variants/" + i + "/message", all, out);
                marketingOnly(d, m, "/variants/" + i + "/message/template/name", all, out);
            }
        }
        return out;
    }

    /** On the Marketing Messages API only MARKETING templates go (Meta keeps utility and authentication on /messages). */
    private static void marketingOnly(CampaignDefinition d, Message m, String at, Map<String, List<WabaTemplate>> all,
            List<FieldError> out) {
        if (!d.marketingMessages()) {
            return;
        }
        all.getOrDefault(m.template().name(), List.of()).stream().filter(w -> m.template().language().equals(w.language()))
                .findFirst().filter(w -> !"MARKETING".equalsIgnoreCase(w.category()))
                .ifPresent(w -> out.add(new FieldError(at, "template " + w.name() + " is " + w.category()
                        + ": the Marketing Messages API (sendPath marketing_messages) sends MARKETING templates only")));
    }

    private static void check(Message m, String at, Map<String, List<WabaTemplate>> all, List<FieldError> out) {
        Template t = m.template();
        String tp = at + "/template";
        List<WabaTemplate> translations = all.getOrDefault(t.name(), List.of());
        if (translations.isEmpty()) {
            out.add(new FieldError(tp + "/name", "the WhatsApp Business Account has no template named " + t.name()));
            return;
        }
        WabaTemplate w = translations.stream().filter(x -> t.language().equals(x.language())).findFirst().orElse(null);
        if (w == null) {
            out.add(new FieldError(tp + "/language", "template " + t.name() + " has no " + t.language() + " translation (it has "
                    + String.join(", ", translations.stream().map(WabaTemplate::language).sorted().toList()) + ")"));
            return;
        }
        if (!"APPROVED".equals(w.status())) {
            out.add(new FieldError(tp + "/name", "template " + t.name() + " (" + t.language() + ") is " + w.status()
                    + " at Meta; only an APPROVED template can be sent"));
        }
        int body = t.body() == null ? 0 : t.body().size();
        if (body != w.bodyParameters()) {
            out.add(new FieldError(tp + "/body", "template " + t.name() + " takes " + w.bodyParameters() + " body parameter"
                    + (w.bodyParameters() == 1 ? "" : "s") + ", " + body + " given"));
        }
        String format = w.headerParameters() == 0 ? null : w.headerFormat();
        if (format == null && t.header() != null) {
            out.add(new FieldError(tp + "/header", "template " + t.name() + " has no header parameter"));
        } else if (format != null && t.header() == null) {
            out.add(new FieldError(tp + "/header", "template " + t.name() + " needs a " + format.toLowerCase(java.util.Locale.ROOT)
                    + " header parameter"));
        } else if (format != null && !format.equalsIgnoreCase(t.header().type())) {
            out.add(new FieldError(tp + "/header/type", "template " + t.name() + "'s header is " + format.toLowerCase(java.util.Locale.ROOT)));
        }
        List<Button> buttons = w.buttons();
        Integer linkIndex = m.trackedLink() == null ? null : m.trackedLink().buttonIndex();
        if (linkIndex != null && (linkIndex >= buttons.size() || !buttons.get(linkIndex).type().equals("URL")
                || !buttons.get(linkIndex).dynamic())) {
            out.add(new FieldError(at + "/trackedLink/buttonIndex", "button " + linkIndex + " of template " + t.name()
                    + " is not a URL button with a dynamic suffix"));
        }
        for (int b = 0; b < buttons.size(); b++) {
            if (buttons.get(b).dynamic() && (linkIndex == null || linkIndex != b)) {
                out.add(new FieldError(at + "/trackedLink", "template " + t.name() + "'s URL button " + b
                        + " takes a suffix: a trackedLink with buttonIndex " + b + " is required"));
            }
        }
        if (t.quickReplies() != null) {
            for (int q = 0; q < t.quickReplies().size(); q++) {
                int index = t.quickReplies().get(q).index();
                if (index >= buttons.size() || !buttons.get(index).type().equals("QUICK_REPLY")) {
                    out.add(new FieldError(tp + "/quickReplies/" + q + "/index", "button " + index + " of template " + t.name()
                            + " is not a quick reply"));
                }
            }
        }
    }
}
