package io.sohbet.consent.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.service.Retention;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The retention policy and an on-demand run of it (it also runs on its schedule). */
@Path("/api/retention")
@Tag(name = "Retention")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    private final Retention retention;
    private final ConsentConfig config;
    private final SecurityIdentity identity;

    public RetentionResource(Retention retention, ConsentConfig config, SecurityIdentity identity) {
        this.retention = retention;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The retention policy", description = "How long each kind of data is kept (ISO-8601 durations) and when the job runs.")
    public Map<String, String> policy() {
        ConsentConfig.Retention r = config.retention();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("schedule", r.cron());
        out.put("accessExport", r.accessExport().toString());
        out.put("identityWithoutConsent", r.identityWithoutConsent().toString());
        out.put("supersededEvidence", r.supersededEvidence().toString());
        out.put("processedEvents", r.processedEvents().toString());
        return out;
    }

    @POST
    @Path("/run")
    @Operation(summary = "Run the retention job now", description = "Returns how many rows each rule deleted or anonymised; audited.")
    public Uni<Map<String, Integer>> run() {
        return retention.run(identity.getPrincipal().getName(), Instant.now());
    }
}
