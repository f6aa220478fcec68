package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.ConsentRuleException;
import io.sohbet.consent.service.DestructionRecords;
import io.sohbet.consent.service.DestructionReplay;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.ZoneOffset;

/** The periodic destruction report: the KVKK destruction records of a period, as JSON or CSV. */
@Path("/api/destruction-records")
@Tag(name = "Destruction records")
@RolesAllowed({"privacy-officer", "admin"})
public class DestructionRecordResource {

    static final String CSV = "text/csv";

    private final DestructionRecords records;
    private final DestructionReplay replay;
    private final SecurityIdentity identity;

    public DestructionRecordResource(DestructionRecords records, DestructionReplay replay, SecurityIdentity identity) {
        this.records = records;
        this.replay = replay;
        this.identity = identity;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "The destruction records of a period", description = "Every deletion, destruction (crypto-shredding) "
            + "and anonymisation recorded from 'from' (inclusive) to 'to' (exclusive), oldest first: category, how many "
            + "records, method (silme, yok etme, anonim hale getirme), legal reason, when and by whom, with the audit "
            + "entry (seq, hash) that holds each record; /api/audit/verify proves them untouched. 'from' and 'to' are "
            + "ISO-8601 dates or instants; 'to' defaults to now, 'from' to 6 months before 'to'. CSV with Accept: text/csv "
            + "or format=csv.")
    @APIResponse(responseCode = "200", description = "The records")
    @APIResponse(responseCode = "400", description = "Invalid from, to or format, or from not before to")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Uni<Response> report(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("format") @Pattern(regexp = "json|csv", message = "must be json or csv") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        Instant until = DestructionReport.instant(to, "to");
        Instant end = until == null ? Instant.now() : until;
        Instant since = DestructionReport.instant(from, "from");
        Instant start = since == null ? end.atOffset(ZoneOffset.UTC).minusMonths(6).toInstant() : since;
        if (!start.isBefore(end)) {
            throw new ConsentRuleException("/from", "must be before to");
        }
        boolean csv = format == null ? accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON)
                : format.equals("csv");
        return records.between(start, end).map(found -> csv
                ? Response.ok(DestructionReport.csv(found), CSV + "; charset=UTF-8").build()
                : Response.ok(found, MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("/dead-letters/replay")
    @RolesAllowed("admin")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Record the dead-lettered retention runs", description = "Role admin. Reads every record of "
            + "privacy.destruction.dlq (other services' retention runs that could not be recorded, e.g. while the database "
            + "was down; the generic dead-letter replay cannot put them back, only the four services with retention jobs write "
            + "privacy.destruction) and records each run once per (service, run id), as the consumer does: counts what was "
            + "recorded now and what was recorded before, and lists the records refused (a service not allowed to write "
            + "the topic, a run that destroyed nothing, not an event), which stay refused, and those whose recording failed "
            + "now (call again). Idempotent: call it as often as needed. Audited.")
    @APIResponse(responseCode = "200", description = "What the replay did")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not admin")
    @APIResponse(responseCode = "503", description = "Kafka could not be read (problem+json; nothing was recorded), or the "
            + "database could not be written (problem+json: the runs recorded before it failed stay recorded; call again)")
    public DestructionReplay.Result replayDeadLetters() {
        return replay.replay(identity.getPrincipal().getName());
    }
}
