package io.sohbet.consent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.domain.DsrRequest;
import io.sohbet.consent.domain.ErasureAck;
import io.sohbet.consent.service.AuditLog;
import io.sohbet.consent.service.Caller;
import io.sohbet.consent.service.ConsentLedger;
import io.sohbet.consent.service.ConsentRuleException;
import io.sohbet.consent.service.DataSubjectRequests;
import io.sohbet.consent.service.DsrPhones;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Data-subject requests (KVKK art. 11, GDPR art. 15–21): access, erasure, rectification, objection. */
@Path("/api/dsr")
@Tag(name = "Data-subject requests")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class DsrResource {

    private static final String SUBJECT = "[A-Za-z0-9_-]{16,64}";
    private static final String REQUEST_ID = "[0-9a-f-]{36}";

    private final DataSubjectRequests requests;
    private final ConsentLedger ledger;
    private final DsrPhones phones;
    private final AuditLog audit;
    private final SecurityIdentity identity;
    private final ObjectMapper json = new ObjectMapper();

    public DsrResource(DataSubjectRequests requests, ConsentLedger ledger, DsrPhones phones, AuditLog audit,
            SecurityIdentity identity) {
        this.requests = requests;
        this.ledger = ledger;
        this.phones = phones;
        this.audit = audit;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a request", description = "Erasure deletes the contact details and the subject's key at "
            + "once (every sealed copy anywhere becomes unreadable) and asks every service to erase; it is complete when "
            + "all have acknowledged. Repeating an erasure returns the same request. Rectification and objection (= "
            + "revoke marketing) complete at once; a rectification always writes the values given and says in "
            + "`outcome` whether that changed anything (`changed`) or not (`unchanged`). Access gathers every service's "
            + "export. The phone is written internationally (+ or 00) or given with `country`; a bare number that is "
            + "one person as a WhatsApp id and another as a local number is refused.")
    @APIResponse(responseCode = "202", description = "Accepted; Location is the request")
    @APIResponse(responseCode = "400", description = "Invalid request, each error with a JSON pointer; an ambiguous phone (/phone)")
    @APIResponse(responseCode = "404", description = "Rectification of a subject nothing is held about")
    public Uni<Response> submit(@Valid @NotNull DsrSubmission submission) {
        if ((submission.phone() == null) == (submission.subjectId() == null)) {
            throw new ConsentRuleException("/phone", "give either the phone or the subject id");
        }
        if (submission.changes() != null && !DataSubjectRequests.RECTIFICATION.equals(submission.type())) {
            throw new ConsentRuleException("/changes", "only a rectification carries changes");
        }
        if (submission.country() != null && submission.phone() == null) {
            throw new ConsentRuleException("/country", "only goes with a phone");
        }
        String subject = submission.subjectId() != null ? submission.subjectId()
                : ledger.subjectOf(phones.e164(submission.phone(), submission.country()));
        DataSubjectRequests.Changes changes = submission.changes() == null ? null
                : new DataSubjectRequests.Changes(submission.changes().name(), submission.changes().email());
        return requests.submit(submission.type(), subject, changes, actor())
                .flatMap(submitted -> view(submitted.request()).map(view -> Response.accepted(view)
                        .location(URI.create("/api/dsr/" + submitted.request().id)).build()));
    }

    @GET
    @Operation(summary = "List requests", description = "Newest first; filter by subject or status. Audited: who, and "
            + "the keyed hashes of the subjects listed.")
    public Uni<List<DsrView>> list(@QueryParam("subjectId") @Pattern(regexp = SUBJECT, message = "must be a subject id") String subjectId,
            @QueryParam("status") @Pattern(regexp = "received|in-progress|completed|failed",
                    message = "must be received, in-progress, completed or failed") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return requests.list(subjectId, status, limit).map(found -> found.stream().map(r -> summary(r)).toList())
                .call(views -> audit.appendRead(Caller.of(identity), "dsr.listed", subjectId,
                        views.stream().map(DsrView::subjectId).collect(Collectors.toSet()), Map.of("requests", views.size())));
    }

    /** Body of a replay: the erasures completed since this instant are announced again. */
    public record ErasureReplay(@NotNull @PastOrPresent Instant since) {
    }

    /** How many erasures were announced again. */
    public record ErasureReplayResult(int erasures) {
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Announce completed erasures again", description = "After a service's database was restored "
            + "from a backup, the people erased since the backup would be back in it: this publishes every erasure "
            + "completed since 'since' (the backup's time) again, with its original id. A service whose database no "
            + "longer records a request erases again; the others only acknowledge. Anything a restore of consent-service's "
            + "own database brought back about those people is deleted again. Audited.")
    @APIResponse(responseCode = "200", description = "The number of erasures announced again")
    @APIResponse(responseCode = "400", description = "since is missing, not an ISO-8601 instant or in the future")
    public Uni<ErasureReplayResult> replay(@Valid @NotNull ErasureReplay replay) {
        return requests.replayErasures(replay.since(), actor()).map(ErasureReplayResult::new);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A request's status", description = "Status, legal deadlines, time taken and per-service "
            + "progress. Audited.")
    @APIResponse(responseCode = "404", description = "No such request")
    public Uni<DsrView> get(@PathParam("id") @Pattern(regexp = REQUEST_ID, message = "must be a request id") String id) {
        return requests.find(id).flatMap(request -> {
            if (request == null) {
                throw new NotFoundException();
            }
            return view(request).call(view -> audit.appendRead(Caller.of(identity), "dsr.read", request.subjectId,
                    List.of(), Map.of("request", request.id)));
        });
    }

    @GET
    @Path("/{id}/export")
    @Operation(summary = "An access request's export", description = "Everything every service holds on the subject, "
            + "machine-readable. Reading it is audited (who, with the OIDC client, and how many services' data); it is "
            + "deleted after the retention period.")
    @APIResponse(responseCode = "404", description = "No such access request, not ready yet, or no longer kept")
    public Uni<JsonNode> export(@PathParam("id") @Pattern(regexp = REQUEST_ID, message = "must be a request id") String id) {
        return requests.find(id).flatMap(request -> {
            if (request == null || !DataSubjectRequests.ACCESS.equals(request.type)) {
                throw new NotFoundException();
            }
            return requests.export(request, Caller.of(identity)).map(export -> {
                if (export == null) {
                    throw new NotFoundException();
                }
                return export;
            });
        });
    }

    private Uni<DsrView> view(DsrRequest request) {
        if (!DataSubjectRequests.ERASURE.equals(request.type)) {
            return Uni.createFrom().item(summary(request));
        }
        return requests.acknowledgements(request.id).map(acks -> {
            Map<String, ErasureAck> byService = new HashMap<>();
            acks.forEach(a -> byService.put(a.key.service, a));
            List<DsrView.Progress> progress = new ArrayList<>();
            for (String service : requests.participants()) {
                ErasureAck ack = byService.get(service);
                progress.add(ack == null ? new DsrView.Progress(service, "pending", null, null, null)
                        : new DsrView.Progress(service, "done", ack.completedAt, ack.rowsAffected, null));
            }
            return build(request, progress);
        });
    }

    private DsrView summary(DsrRequest request) {
        List<DsrView.Progress> progress = new ArrayList<>();
        JsonNode services = detail(request).path("services");
        services.fields().forEachRemaining(e -> progress.add(new DsrView.Progress(e.getKey(), e.getValue().path("status").asText(),
                e.getValue().hasNonNull("at") ? Instant.parse(e.getValue().get("at").asText()) : null, null,
                e.getValue().hasNonNull("error") ? e.getValue().get("error").asText() : null)));
        return build(request, progress);
    }

    private DsrView build(DsrRequest r, List<DsrView.Progress> progress) {
        JsonNode detail = detail(r);
        String outcome = outcome(r, detail);
        if (detail instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.remove("services");
            object.remove(DataSubjectRequests.OUTCOME);
        }
        Instant end = r.completedAt != null ? r.completedAt : Instant.now();
        return new DsrView(r.id, r.type, r.subjectId, r.status, outcome, r.requestedBy, r.source, r.receivedAt,
                new DsrView.Deadlines(DataSubjectRequests.kvkkDeadline(r.receivedAt), DataSubjectRequests.gdprDeadline(r.receivedAt)),
                r.dueAt, end.isAfter(r.dueAt) && r.completedAt == null, r.completedAt, Duration.between(r.receivedAt, end),
                progress, detail, DataSubjectRequests.ACCESS.equals(r.type) && r.export != null ? "/api/dsr/" + r.id + "/export" : null);
    }

    /**
     * A rectification's or objection's outcome; rectifications recorded before outcomes were kept say it as
     * {@code changed: true|false}, objections of then say nothing.
     */
    private static String outcome(DsrRequest r, JsonNode detail) {
        if (!DataSubjectRequests.RECTIFICATION.equals(r.type) && !DataSubjectRequests.OBJECTION.equals(r.type)) {
            return null;
        }
        if (detail.hasNonNull(DataSubjectRequests.OUTCOME)) {
            return detail.get(DataSubjectRequests.OUTCOME).asText();
        }
        JsonNode changed = detail.path("changed");
        return changed.isBoolean() ? (changed.asBoolean() ? DataSubjectRequests.CHANGED : DataSubjectRequests.UNCHANGED) : null;
    }

    private JsonNode detail(DsrRequest r) {
        try {
            return r.detail == null ? json.createObjectNode() : json.readTree(r.detail);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
