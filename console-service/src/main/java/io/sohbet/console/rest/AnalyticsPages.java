package io.sohbet.console.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.sohbet.console.client.MetricsApi;
import io.sohbet.console.client.MetricsViews;
import io.sohbet.console.service.AbVerdict;
import io.sohbet.console.service.Funnel;
import io.sohbet.console.service.Heatmap;
import io.sohbet.console.service.Viewer;
import io.sohbet.console.service.Viewers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The analyst's pages, from metrics-service as the signed-in user: the campaigns of a period with their figures beside
 * the previous period's, and a campaign's report (funnel, failures, A/B verdict, read hours, CSAT, feedback, cost and
 * return). Every number is the API's, printed as it answered; the console adds no figure of its own except the A/B
 * card's "still needed" per variant ({@link AbVerdict}).
 */
@Path("/analytics")
@RolesAllowed({"analyst", "marketer", "admin"})
@Produces(MediaType.TEXT_HTML)
public class AnalyticsPages {

    static final String ID = "[A-Za-z0-9_.:-]{1,64}";
    private static final List<Integer> PERIODS = List.of(7, 30, 90);
    private static final List<String> METRICS = List.of("open", "click-through", "conversion", "engagement");

    /** One campaign's figures this period and, when it had any, the previous period. */
    public record PeriodRow(MetricsViews.Group current, MetricsViews.Group previous) {
    }

    /** A row of the by-variant tables: {@code all} (the campaign's overall figures) or a variant's dimension. */
    public record VariantRow(String key, MetricsViews.Group group) {

        public boolean overall() {
            return ALL.equals(key);
        }
    }

    static final String ALL = "all";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance campaigns(Viewer viewer, int days, List<PeriodRow> rows, MetricsViews.Range range,
                MetricsViews.Range previousRange);

        static native TemplateInstance campaign(Viewer viewer, MetricsViews.Campaign report, String metric, Funnel funnel,
                AbVerdict ab, Heatmap heatmap, String week, MetricsViews.Csat csat, MetricsViews.Feedback feedback,
                List<VariantRow> byVariant);
    }

    private final MetricsApi metrics;
    private final Viewers viewers;

    public AnalyticsPages(@RestClient MetricsApi metrics, Viewers viewers) {
        this.metrics = metrics;
        this.viewers = viewers;
    }

    @GET
    @Path("campaigns")
    public Response campaigns(@QueryParam("days") String days) {
        Viewer viewer = viewers.current();
        int period = 30;
        if (days != null && !days.isBlank()) {
            if (!days.matches("7|30|90")) {
                return Response.status(400).entity(Templates.campaigns(viewer, period, List.of(), null, null)
                        .setLocale(viewer.locale())).build();
            }
            period = Integer.parseInt(days);
        }
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofDays(period));
        Instant before = from.minus(Duration.ofDays(period));
        MetricsViews.Summary current = metrics.summary("campaign", from.toString(), to.toString());
        MetricsViews.Summary previous = metrics.summary("campaign", before.toString(), from.toString());
        // messages of no campaign form a group without a dimension: keyed by "" here, shown as such
        Map<String, MetricsViews.Group> earlier = previous.groups().stream()
                .collect(Collectors.toMap(g -> g.dimension() == null ? "" : g.dimension(), Function.identity(), (a, b) -> a));
        List<PeriodRow> rows = current.groups().stream()
                .map(g -> new PeriodRow(g, earlier.get(g.dimension() == null ? "" : g.dimension()))).toList();
        return Response.ok(Templates.campaigns(viewer, period, rows, current.range(), previous.range())
                .setLocale(viewer.locale())).build();
    }

    /**
     * A campaign's report; {@code metric} picks the A/B test's rate, {@code week} the first of the seven days of the
     * read-hour heatmap (default: the seven days up to today), in metrics-service's time zone.
     */
    @GET
    @Path("campaigns/{id}")
    public Response campaign(@PathParam("id") String id, @QueryParam("metric") String metric, @QueryParam("week") String week) {
        Viewer viewer = viewers.current();
        if (!id.matches(ID)) {
            return Response.status(404).build();
        }
        String chosen = metric == null || metric.isBlank() ? "click-through" : metric;
        if (!METRICS.contains(chosen)) {
            return Response.status(400).entity("metric must be open, click-through, conversion or engagement")
                    .type(MediaType.TEXT_PLAIN).build();
        }
        MetricsViews.Campaign report = metrics.campaign(id, chosen);
        MetricsViews.ReadTimes all = metrics.readTimes(id, null, null);
        ZoneId zone = ZoneId.of(all.timeZone());
        LocalDate first;
        try {
            first = week == null || week.isBlank() ? LocalDate.now(zone).minusDays(6) : LocalDate.parse(week);
        } catch (DateTimeException e) {
            return Response.status(400).entity("week must be a date such as 2026-11-24").type(MediaType.TEXT_PLAIN).build();
        }
        List<Heatmap.Day> days = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            LocalDate day = first.plusDays(d);
            MetricsViews.ReadTimes reads = metrics.readTimes(id, day.atStartOfDay(zone).toInstant().toString(),
                    day.plusDays(1).atStartOfDay(zone).toInstant().toString());
            days.add(new Heatmap.Day(day.toString(), reads.hourly()));
        }
        days.add(new Heatmap.Day(viewer.english() ? "all days" : "tüm günler", all.hourly()));
        Heatmap heatmap = Heatmap.of(all.timeZone(), days);
        List<VariantRow> byVariant = new ArrayList<>();
        if (report.overall() != null) {
            byVariant.add(new VariantRow(ALL, report.overall()));
        }
        if (report.variants() != null) {
            report.variants().forEach(v -> byVariant.add(new VariantRow(v.dimension(), v)));
        }
        return Response.ok(Templates.campaign(viewer, report, chosen, Funnel.of(report.overall()), AbVerdict.of(report.abTest()),
                heatmap, first.toString(), metrics.csat(id), metrics.feedback(id), byVariant).setLocale(viewer.locale())).build();
    }
}
