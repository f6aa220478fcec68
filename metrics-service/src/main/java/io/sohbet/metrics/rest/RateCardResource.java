package io.sohbet.metrics.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.service.RateCard;
import io.sohbet.metrics.service.RateCardCsv;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;

/**
 * The rate card campaigns are priced with (README "Cost and return"): imported from CSV by admins, read by the people
 * who read metrics.
 */
@Path("/api/metrics/rate-card")
@Tag(name = "Rate card")
@RolesAllowed({"analyst", "marketer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class RateCardResource {

    static final String CSV = "text/csv";

    private final RateCard card;

    public RateCardResource(RateCard card) {
        this.card = card;
    }

    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.WILDCARD) // the type is checked in the method, after the roles: a caller without a token gets 401 whatever it sent
    @RequestBody(required = true, content = @Content(mediaType = CSV))
    @Operation(summary = "Import prices", description = "CSV with the header " + RateCardCsv.HEADER + " and one price per "
            + "line: country ISO 3166 alpha-2 or * (every other country), Meta's pricing category, the day it takes effect "
            + "(business time zone), the price per delivered message (at most 6 decimals) and the card's currency "
            + "(sohbet.metrics.cost.currency); with the header " + RateCardCsv.HEADER_WITH_TIER + " a sixth column, the "
            + "volume tier whose rate it is as Meta writes it (first:last message of the month, e.g. 250001:2000000; first: "
            + "for the top tier), empty for the base rate, only for utility and authentication. A price for a (country, "
            + "category, tier, day) already on the card replaces it. All lines are checked first; one wrong line imports nothing.")
    @APIResponse(responseCode = "200", description = "Imported: lines, added, replaced")
    @APIResponse(responseCode = "400", description = "Wrong lines, each with its number (the header is line 1)")
    @APIResponse(responseCode = "413", description = "More lines than sohbet.metrics.cost.max-lines")
    @APIResponse(responseCode = "415", description = "Not text/csv")
    public Uni<RateCard.Imported> importCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String csv) {
        if (!isCsv(type)) {
            throw new NotSupportedException("the rate card is imported as text/csv");
        }
        return card.importCsv(csv);
    }

    private static boolean isCsv(String type) {
        try {
            return type != null && MediaType.valueOf(type).isCompatible(MediaType.valueOf(CSV));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    @GET
    @Operation(summary = "The rate card", description = "Every price, optionally of one country and/or category.")
    @APIResponse(responseCode = "200", description = "Prices by country, category and day")
    @APIResponse(responseCode = "400", description = "Invalid filter")
    public Uni<List<RateCard.Entry>> list(
            @QueryParam("country") @Pattern(regexp = "[A-Za-z]{2}|\\*", message = "must be an ISO 3166 alpha-2 code or *") String country,
            @QueryParam("category") @Pattern(regexp = "[a-z_-]{1,40}", message = "must be a pricing category") String category) {
        return card.list(country == null ? null : country.toUpperCase(Locale.ROOT), category == null ? null : category.replace('-', '_'));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One price")
    @APIResponse(responseCode = "200", description = "The price")
    @APIResponse(responseCode = "400", description = "Not an id")
    @APIResponse(responseCode = "404", description = "No such price")
    public Uni<RateCard.Entry> get(@PathParam("id") @Pattern(regexp = "[0-9]{1,18}", message = "must be a number") String id) {
        return card.find(Long.parseLong(id)).map(found -> found.orElseThrow(() -> new NotFoundException("no such price")));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove a price", description = "Messages it priced are priced again by what remains of the card.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", description = "Not an id")
    @APIResponse(responseCode = "404", description = "No such price")
    public Uni<Void> delete(@PathParam("id") @Pattern(regexp = "[0-9]{1,18}", message = "must be a number") String id) {
        return card.delete(Long.parseLong(id)).map(deleted -> {
            if (!deleted) {
                throw new NotFoundException("no such price");
            }
            return null;
        });
    }
}
