package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.Caller;
import io.sohbet.consent.service.ContactResolver;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.Set;

/** Internal API: contact details of subjects who consent to a purpose right now (role contacts:resolve on this service's client, held by campaign-service). */
@Path("/internal/contacts/resolve")
@Tag(name = "Internal: identity vault contacts")
@RolesAllowed("contacts:resolve")
public class ContactResolveResource {

    private final ContactResolver resolver;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    public ContactResolveResource(ContactResolver resolver, AuditLog audit, SecurityIdentity identity) {
        this.resolver = resolver;
        this.audit = audit;
        this.identity = identity;
    }

    public record ResolveRequest(
            @NotNull @Pattern(regexp = "marketing|analytics|profiling", message = "must be marketing, analytics or profiling") String purpose,
            @NotNull @NotEmpty @Size(max = 1000)
            Set<@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String> subjectIds) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve subjects to contact details", description = "Role contacts:resolve (campaign-service). Answers only for subjects whose consent for "
            + "the purpose is granted at this moment, with their phone (may be null), their latest BSUID (either may be null, not both) and the address to "
            + "send to (address.type bsuid, value the BSUID, when no phone is known or their latest WhatsApp sighting came without their number, "
            + "as for a username-only person; else address.type phone); the others are listed as withheld with the reason (no-consent, "
            + "no-contact: neither a phone nor a BSUID known, and no-iys-consent: a Turkish number without an İYS ONAY while İYS is enforced for WhatsApp). Callers must not store the answers. Audited before answering: who (user and OIDC client), the "
            + "purpose, how many were asked and resolved, and the keyed hashes of the subjects resolved.")
    public Uni<ContactResolver.Resolution> resolve(@Valid @NotNull ResolveRequest request) {
        Caller caller = Caller.of(identity);
        return resolver.resolve(request.purpose(), request.subjectIds(), caller.name())
                .call(resolution -> audit.appendRead(caller, "contacts.resolved", null,
                        resolution.contacts().stream().map(ContactResolver.Resolved::subjectId).toList(),
                        Map.of("purpose", request.purpose(), "asked", request.subjectIds().size(),
                                "resolved", resolution.contacts().size())));
    }
}
