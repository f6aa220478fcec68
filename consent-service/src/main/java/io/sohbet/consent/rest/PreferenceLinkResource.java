package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.PreferenceLinks;
import io.sohbet.consent.service.SelfServiceKeywords;
import io.sohbet.kit.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;

/** A preference-page link for a support agent to send to a person (docs/preference-page.md). */
@Path("/api/subjects/{subjectId}/preference-links")
@Tag(name = "Preference page")
@Produces(MediaType.APPLICATION_JSON)
public class PreferenceLinkResource {

    private final PreferenceLinks links;
    private final SecurityIdentity identity;
    private final Database database;

    public PreferenceLinkResource(PreferenceLinks links, SecurityIdentity identity, Database database) {
        this.links = links;
        this.identity = identity;
        this.database = database;
    }

    /** The link's language; Turkish when absent. */
    public record LinkRequest(@Schema(enumeration = {"tr", "en"}, defaultValue = "tr")
            @Pattern(regexp = "tr|en", message = "must be tr or en") String language) {
    }

    /** The link to send (it holds the token: shown once, never stored), and until when it works. */
    public record LinkView(long id, URI url, Instant expiresAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "Issue a preference-page link", description = "A one-time link to the person's preference page, "
            + "to send them; it expires after sohbet.consent.preferences.link-lifetime. Audited (preference-link.issued), "
            + "without the token.")
    @APIResponse(responseCode = "201", description = "The link; Location is the link itself")
    @APIResponse(responseCode = "400", description = "Invalid subject id or language")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    @APIResponse(responseCode = "404", description = "Nothing is held about this subject")
    @APIResponse(responseCode = "409", description = "The preference page is not configured (no public base URL)")
    public Uni<Response> issue(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id")
            String subjectId, @Valid LinkRequest request) {
        if (!links.enabled()) {
            return Uni.createFrom().item(Problem.response(409, "Conflict",
                    "the preference page has no public address: set sohbet.consent.preferences.base-url"));
        }
        SelfServiceKeywords.Language language = request != null && "en".equals(request.language())
                ? SelfServiceKeywords.Language.ENGLISH : SelfServiceKeywords.Language.TURKISH;
        return database.inTransaction(() -> links.issue(subjectId, language, identity.getPrincipal().getName()))
                .map(issued -> Response.created(issued.url()).entity(new LinkView(issued.id(), issued.url(), issued.expiresAt())).build());
    }
}
