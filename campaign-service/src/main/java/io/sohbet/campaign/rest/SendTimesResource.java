package io.sohbet.campaign.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.config.CampaignConfig;
import io.sohbet.campaign.service.Campaigns;
import io.sohbet.campaign.service.PlannedSendTimes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** When a campaign's messages go out: its recipients by the hour they are due in (send-time optimisation at work). */
@Path("/api/campaigns/{id}/send-times")
@Tag(name = "Campaigns")
@RolesAllowed({"marketer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class SendTimesResource {

    private final Campaigns campaigns;
    private final PlannedSendTimes sendTimes;
    private final CampaignConfig config;

    public SendTimesResource(Campaigns campaigns, PlannedSendTimes sendTimes, CampaignConfig config) {
        this.campaigns = campaigns;
        this.sendTimes = sendTimes;
        this.config = config;
    }

    /**
     * The plan by hour: {@code hours} is empty until the campaign is planned ({@code plannedAt} null); {@code planned}
     * counts every recipient but hold-outs, {@code messaged} those sent so far.
     */
    public record SendTimesView(String campaignId, String timeZone, Instant plannedAt, long planned, long messaged,
            List<PlannedSendTimes.Hour> hours) {
    }

    @GET
    @Operation(summary = "Recipients by the hour they are due in", description = "How the campaign's plan spreads its sends: "
            + "per hour (start in timeZone, by default the service's), the recipients due then and how many were messaged. "
            + "Counts only, hold-outs left out; empty before planning.")
    @APIResponse(responseCode = "200", description = "The plan by hour")
    @APIResponse(responseCode = "400", description = "Not a campaign id, or not a time zone")
    @APIResponse(responseCode = "401", description = "No valid token")
    @APIResponse(responseCode = "403", description = "Not marketer or admin")
    @APIResponse(responseCode = "404", description = "No such campaign")
    public Uni<SendTimesView> sendTimes(
            @PathParam("id") @Pattern(regexp = CampaignResource.ID, message = CampaignResource.ID_MESSAGE) String id,
            @QueryParam("timeZone") @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_+/-]+", message = "must be a time zone such as "
                    + "Europe/Istanbul") String timeZone) {
        ZoneId zone = zone(timeZone);
        return campaigns.find(id).flatMap(c -> {
            if (c == null) {
                throw new NotFoundException();
            }
            return sendTimes.byHour(id, zone).map(hours -> new SendTimesView(id, zone.getId(), c.plannedAt(),
                    hours.stream().mapToLong(PlannedSendTimes.Hour::recipients).sum(),
                    hours.stream().mapToLong(PlannedSendTimes.Hour::messaged).sum(), hours));
        });
    }

    private ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return config.quietHours().timeZone();
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidRequestException("/timeZone", "must be a time zone such as Europe/Istanbul");
        }
    }
}
