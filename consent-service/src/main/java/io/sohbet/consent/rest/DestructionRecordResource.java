package io.sohbet.consent.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.consent.service.ConsentRuleException;
import io.sohbet.consent.service.DestructionRecords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

    public DestructionRecordResource(DestructionRecords records) {
        this.records = records;
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
}
