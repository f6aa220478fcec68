package io.sohbet.consent.rest;

import io.sohbet.consent.service.DataInventory;
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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The suite's data inventory, made from every service's declaration, for the brand's VERBİS filing. */
@Path("/api/data-inventory")
@Tag(name = "Data inventory")
@RolesAllowed({"privacy-officer", "admin"})
public class DataInventoryResource {

    /** VERBİS's terms for the CSV columns. */
    static final String[] HEADER = {"Veri Kategorisi", "Kişisel Veri", "İşleme Amacı", "Hukuki Sebep", "Saklama Süresi",
        "Alıcı / Alıcı Grupları", "Yurt Dışına Aktarım", "Veri Konusu Kişi Grubu", "Servis", "Tablo", "Sütun"};

    private final DataInventory inventory;

    public DataInventoryResource(DataInventory inventory) {
        this.inventory = inventory;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, DestructionRecordResource.CSV})
    @Operation(summary = "The data inventory", description = "Every table and column of every service that holds personal "
            + "or pseudonymous data: VERBİS category, what it holds, purpose, legal basis (KVKK m.5/m.6), retention, "
            + "recipients, transfer abroad and data-subject group. Made from each service's db/data-inventory.json, which "
            + "a test keeps true to its migrations. CSV (VERBİS's terms) with Accept: text/csv or format=csv.")
    @APIResponse(responseCode = "200", description = "The inventory")
    @APIResponse(responseCode = "400", description = "Invalid format")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not privacy-officer or admin")
    public Response inventory(@QueryParam("format") @Pattern(regexp = "json|csv", message = "must be json or csv") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        boolean csv = format == null ? accept != null && accept.contains(DestructionRecordResource.CSV)
                && !accept.contains(MediaType.APPLICATION_JSON) : format.equals("csv");
        if (!csv) {
            return Response.ok(inventory.entries(), MediaType.APPLICATION_JSON).build();
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter rows = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            for (DataInventory.Entry e : inventory.entries()) {
                rows.printRecord(e.category(), e.description(), e.purpose(), e.legalBasis(), e.retention(),
                        String.join("; ", e.recipients()), e.transferAbroad() ? "Evet (Meta, WhatsApp Cloud API)" : "Hayır",
                        e.dataSubjects(), e.service(), e.table(), e.column());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(out.toString(), DestructionRecordResource.CSV + "; charset=UTF-8").build();
    }
}
