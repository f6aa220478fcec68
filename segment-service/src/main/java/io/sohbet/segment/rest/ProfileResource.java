package io.sohbet.segment.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.segment.service.ProfileFacts;
import io.sohbet.segment.service.Profiles;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A customer profile: attributes derived from engagement and orders, and segment memberships. */
@Path("/api/profiles")
@Tag(name = "Profiles")
@RolesAllowed({"marketer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    private final Pool database;
    private final Profiles profiles;

    public ProfileResource(Pool database, Profiles profiles) {
        this.database = database;
        this.profiles = profiles;
    }

    public record ProfileView(ProfileFacts attributes, BigDecimal averageBasket, BigDecimal averageBasket30d, String contentPreference,
            Integer rfmScore, BigDecimal lifetimeValue, List<String> segments) {
    }

    @GET
    @Path("/{subjectId}")
    @Operation(summary = "A subject's profile", description = "Rolling interaction counts (7/30/90 days), content preference, "
            + "orders and revenue (TRY), RFM quintiles, lifetime value and current segments. Demographics (gender, age, city) "
            + "are used by segment rules and never shown here.")
    public Uni<ProfileView> get(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id")
            String subjectId) {
        return database.withConnection(c -> profiles.find(c, subjectId).flatMap(p -> {
            if (p == null) {
                throw new NotFoundException();
            }
            return c.preparedQuery("SELECT segment_id FROM segment_member WHERE subject_id = $1 ORDER BY segment_id")
                    .execute(Tuple.of(subjectId)).map(rows -> {
                        List<String> segments = new ArrayList<>();
                        rows.forEach(r -> segments.add(r.getString("segment_id")));
                        return new ProfileView(p, p.averageBasket(), p.averageBasket30d(), p.contentPreference(), p.rfmScore(),
                                p.revenueTotal(), segments);
                    });
        }));
    }
}
