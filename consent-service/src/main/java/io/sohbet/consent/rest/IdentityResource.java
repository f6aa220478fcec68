package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.Caller;
import io.sohbet.consent.service.ConsentLedger;
import io.sohbet.consent.service.IdentityVault;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/** The identity vault: a subject's contact details, sealed at rest, readable only here and only by these roles. */
@Path("/api/identities")
@Tag(name = "Identity vault")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityResource {

    private final IdentityVault vault;
    private final ConsentLedger ledger;
    private final AuditLog audit;
    private final SecurityIdentity identity;
    private final Database database;

    public IdentityResource(IdentityVault vault, ConsentLedger ledger, AuditLog audit, SecurityIdentity identity,
            Database database) {
        this.database = database;
        this.vault = vault;
        this.ledger = ledger;
        this.audit = audit;
        this.identity = identity;
    }

    /** Contact details to keep for a person; the phone decides the subject. */
    public record IdentityInput(@NotBlank @Size(max = 40) String phone, @Size(min = 1, max = 200) String name,
            @Email @Size(max = 254) String email) {
    }

    public record Stored(String subjectId, boolean changed) {
    }

    public record ContactView(String subjectId, String phone, String name, String email) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "Store contact details", description = "Merged into the subject's vault entry; audited.")
    public Uni<Stored> put(@Valid @NotNull IdentityInput input) {
        String subject = ledger.subjectOf(input.phone());
        String phone = ledger.normalise(input.phone());
        String actor = identity.getPrincipal().getName();
        return database.inTransaction(() -> vault.remember(subject,
                        new IdentityVault.Contact(phone, input.name(), input.email()), "api", Instant.now())
                .call(changed -> audit.append(actor, "identity.stored", subject, Map.of("changed", changed))))
                .map(changed -> new Stored(subject, changed));
    }

    @GET
    @Path("/{subjectId}")
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "Read contact details", description = "In clear; every read is audited (who, how many fields).")
    public Uni<ContactView> get(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}",
            message = "must be a subject id") String subjectId) {
        return vault.open(Set.of(subjectId)).flatMap(found -> {
            IdentityVault.Contact contact = found.get(subjectId);
            if (contact == null) {
                throw new NotFoundException();
            }
            ContactView view = new ContactView(subjectId, contact.phone(), contact.name(), contact.email());
            long fields = Stream.of(view.phone(), view.name(), view.email()).filter(Objects::nonNull).count();
            return audit.appendRead(Caller.of(identity), "identity.read", subjectId, List.of(), Map.of("fields", fields))
                    .replaceWith(view);
        });
    }
}
