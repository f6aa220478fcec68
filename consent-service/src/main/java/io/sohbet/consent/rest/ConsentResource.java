package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.Caller;
import io.sohbet.consent.service.ConsentImport;
import io.sohbet.consent.service.ConsentLedger;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** The consent ledger: record grants and revocations with proof; read a subject's state and history. */
@Path("/api/consents")
@Tag(name = "Consent")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    private final ConsentLedger ledger;
    private final ConsentImport imports;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    public ConsentResource(ConsentLedger ledger, ConsentImport imports, AuditLog audit, SecurityIdentity identity) {
        this.ledger = ledger;
        this.imports = imports;
        this.audit = audit;
        this.identity = identity;
    }

    @POST
    @Path("/import")
    @Consumes("text/csv")
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "Import consent records from CSV", description = "A header row, then one record per row; columns "
            + "(any order): phone, purpose, channel, state, source (default import), notice_id, notice_version, "
            + "notice_sha256, captured_at, evidence_wamid, evidence_ip, evidence_user_agent. Each row is checked on its "
            + "own, the rows recorded in chunks (a chunk that fails is recorded row by row); the report says per row "
            + "recorded, duplicate (already held) or rejected and why.")
    @APIResponse(responseCode = "200", description = "The per-row report")
    @APIResponse(responseCode = "400", description = "The file cannot be read, has unknown or missing columns, or too many rows")
    public Uni<ConsentImport.Report> importCsv(@NotNull String body) {
        return imports.importCsv(body, identity.getPrincipal().getName());
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"privacy-officer", "admin"})
    @Operation(summary = "Import consent records from JSON", description = "A JSON array of the objects POST /api/consents "
            + "takes (source defaults to import); the report says per row recorded, duplicate or rejected and why.")
    @APIResponse(responseCode = "200", description = "The per-row report")
    @APIResponse(responseCode = "400", description = "Not a JSON array, or too many rows")
    public Uni<ConsentImport.Report> importJson(@NotNull String body) {
        return imports.importJson(body, identity.getPrincipal().getName());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a grant or revocation", description = "Appends to the subject's ledger; a grant needs "
            + "the notice shown (id, version, SHA-256 of its text). The phone is kept only as a subject id.")
    @APIResponse(responseCode = "201", description = "Recorded; Location is the subject's consent resource")
    @APIResponse(responseCode = "400", description = "Invalid fields, each with a JSON pointer")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Uni<Response> record(@Valid @NotNull ConsentRequest request) {
        String subject = ledger.subjectOf(request.phone());
        return ledger.record(subject, request, identity.getPrincipal().getName()).map(saved -> Response
                .created(URI.create("/api/consents/" + subject)).entity(entry(saved)).build());
    }

    @GET
    @Path("/{subjectId}")
    @Operation(summary = "A subject's consent", description = "The current state per purpose and channel and the full "
            + "history. Every read is audited (who, how many entries).")
    @APIResponse(responseCode = "200", description = "State and history")
    @APIResponse(responseCode = "404", description = "No consent was ever recorded for this subject")
    public Uni<ConsentView> get(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}",
            message = "must be a subject id") String subjectId) {
        return ledger.history(subjectId).map(history -> {
            if (history.isEmpty()) {
                throw new jakarta.ws.rs.NotFoundException();
            }
            List<ConsentView.Entry> all = history.stream().map(ConsentResource::entry).toList();
            List<ConsentView.Entry> current = ConsentLedger.current(history).stream().map(ConsentResource::entry).toList();
            return new ConsentView(subjectId, current, all);
        }).call(view -> audit.appendRead(Caller.of(identity), "consent.history-read", subjectId, List.of(),
                Map.of("entries", view.history().size())));
    }

    static ConsentView.Entry entry(ConsentRecord r) {
        return new ConsentView.Entry(r.id, r.purpose, r.channel, r.state, r.source, r.noticeId, r.noticeVersion,
                r.noticeSha256, r.evidence != null, r.recordedBy, r.capturedAt, r.recordedAt);
    }
}
