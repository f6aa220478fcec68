package io.sohbet.campaign.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.client.TemplateCatalog;
import io.sohbet.campaign.client.TemplateCatalog.WabaTemplate;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Comparator;
import java.util.List;

/** The WhatsApp Business Account's templates as campaign-service sees them (what scheduling checks campaigns against). */
@Path("/api/templates")
@Tag(name = "Templates")
@RolesAllowed({"marketer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class TemplateResource {

    /**
     * One translation of a template: {@code parameters} is what a message of it gives (header, body and URL-button
     * suffixes), {@code bodyParameters} the body's share.
     */
    public record TemplateView(String name, String language, String category, String status, String quality, int parameters,
            int bodyParameters, String headerFormat) {

        static TemplateView of(WabaTemplate t) {
            return new TemplateView(t.name(), t.language(), t.category(), t.status(), t.quality(), t.parameters(), t.bodyParameters(),
                    t.headerFormat());
        }
    }

    private final TemplateCatalog catalog;

    public TemplateResource(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "The WhatsApp Business Account's templates, from the Cloud API (cached template-cache-ttl; a template "
            + "webhook empties the cache)")
    @APIResponse(responseCode = "200", description = "Every translation of every template, by name then language")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    @APIResponse(responseCode = "403", description = "Not a marketer or admin")
    @APIResponse(responseCode = "503", description = "The Cloud API's template list cannot be read now (Retry-After)")
    public Uni<List<TemplateView>> list() {
        return catalog.templates().map(all -> all.values().stream().flatMap(List::stream).map(TemplateView::of)
                .sorted(Comparator.comparing(TemplateView::name).thenComparing(TemplateView::language)).toList());
    }
}
