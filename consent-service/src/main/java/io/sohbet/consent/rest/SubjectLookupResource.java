package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.Caller;
import io.sohbet.consent.service.ConsentLedger;
import io.sohbet.consent.service.DsrPhones;
import io.sohbet.consent.service.UnknownSubjectException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/**
 * Consent lookup by phone for the privacy officer (the console's consent page): the phone travels in the body, is read
 * as a data-subject request's is, and the answer is the subject's consent with its proof and history, as
 * {@code GET /api/consents/{subjectId}} gives it. A found subject's lookup is audited (who, which subject, how many
 * entries); an unknown number is a 404 that says nothing more.
 */
@Path("/api/subjects/lookup")
@Tag(name = "Consent")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SubjectLookupResource {

    /** The lookup's body: in the body, so that the number is in no URL, access log or trace. */
    public record Lookup(
            @Schema(description = "The person's phone, international (+ or 00 and the country code) or with `country`",
                    example = "+90 532 123 45 67")
            @NotBlank @Size(max = 40) String phone,
            @Schema(description = "The country of a phone written without its country code (ISO 3166-1 alpha-2)", example = "TR")
            @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO 3166-1 alpha-2 code such as TR") String country) {
    }

    private final ConsentLedger ledger;
    private final DsrPhones phones;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    public SubjectLookupResource(ConsentLedger ledger, DsrPhones phones, AuditLog audit, SecurityIdentity identity) {
        this.ledger = ledger;
        this.phones = phones;
        this.audit = audit;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A person's consent, looked up by phone", description = "The phone (international, or with its "
            + "country) is normalised with libphonenumber and turned into the subject id; the answer is the subject's "
            + "current consent per purpose and channel and the whole history with its proof. Audited as "
            + "consent.lookup. The phone is never logged.")
    @APIResponse(responseCode = "200", description = "The subject id, current state and history")
    @APIResponse(responseCode = "400", description = "No phone, or one that cannot be read (each problem with its JSON pointer)")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    @APIResponse(responseCode = "404", description = "No consent was ever recorded for this number")
    public Uni<ConsentView> lookup(@Valid @NotNull Lookup lookup) {
        String subject = ledger.subjectOf(phones.e164(lookup.phone(), lookup.country()));
        return ledger.history(subject).map(history -> {
            if (history.isEmpty()) {
                throw new UnknownSubjectException();
            }
            return new ConsentView(subject, ConsentLedger.current(history).stream().map(ConsentResource::entry).toList(),
                    history.stream().map(ConsentResource::entry).toList());
        }).call(view -> audit.appendRead(Caller.of(identity), "consent.lookup", subject, List.of(),
                Map.of("entries", view.history().size())));
    }
}
