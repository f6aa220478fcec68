package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
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

import java.util.Set;

/** Internal API: contact details of subjects who consent to a purpose right now (role service). */
@Path("/internal/contacts/resolve")
@Tag(name = "Internal: identity vault contacts")
@RolesAllowed("service")
public class ContactResolveResource {

    private final ContactResolver resolver;
    private final SecurityIdentity identity;

    public ContactResolveResource(ContactResolver resolver, SecurityIdentity identity) {
        this.resolver = resolver;
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
    @Operation(summary = "Resolve subjects to contact details", description = "Answers only for subjects whose consent for "
            + "the purpose is granted at this moment; the others are listed as withheld with the reason (no-consent, "
            + "no-phone). Callers must not store the answers.")
    public Uni<ContactResolver.Resolution> resolve(@Valid @NotNull ResolveRequest request) {
        return resolver.resolve(request.purpose(), request.subjectIds(), identity.getPrincipal().getName());
    }
}
