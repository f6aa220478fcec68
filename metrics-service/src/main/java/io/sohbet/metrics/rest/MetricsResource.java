package io.sohbet.metrics.rest;

import io.smallrye.mutiny.Uni;
import io.sohbet.metrics.config.MetricsConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.sohbet.metrics.service.ConversationStats;
import io.sohbet.metrics.service.Conversations;
import io.sohbet.metrics.service.Counts;
import io.sohbet.metrics.service.CsatAnswer;
import io.sohbet.metrics.service.EngagementQueries;
import io.sohbet.metrics.service.Feedback;
import io.sohbet.metrics.service.EngagementQueries.Dimension;
import io.sohbet.metrics.service.MetricFilter;
import io.sohbet.metrics.service.Rates;
import io.sohbet.metrics.service.VariantTest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Engagement metrics (domain.md §2) over a time range (default: all time), overall or per campaign, A/B variant,
 * message type, segment (membership at send time) and send window. "Re-read rate" is not observable through the
 * Cloud API (one read status per message): repeat clicks are reported instead.
 */
@Path("/api/metrics")
@Tag(name = "Metrics")
@RolesAllowed({"analyst", "marketer", "admin"})
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    static final String ID = "[A-Za-z0-9_.:-]{1,64}";
    static final String ID_MESSAGE = "must be 1-64 letters, digits or _.:-";
    static final Set<Integer> RATE_LIMITS = Set.of(4, 80007, 130429, 131048, 131056);
    static final int ECOSYSTEM_LIMIT = 131049;
    static final Instant ALL_FROM = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant ALL_TO = Instant.parse("2100-01-01T00:00:00Z");
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final EngagementQueries queries;
    private final Conversations conversations;
    private final Feedback feedback;
    private final MetricsConfig config;
    private final SecurityIdentity identity;

    public MetricsResource(EngagementQueries queries, Conversations conversations, Feedback feedback, MetricsConfig config,
            SecurityIdentity identity) {
        this.queries = queries;
        this.conversations = conversations;
        this.feedback = feedback;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Path("/summary")
    @Operation(summary = "Counts and rates", description = "Filtered by campaign, variant, message type, segment and time "
            + "range (of sending), grouped by all, campaign, variant, type, send-window (09-12 … 21-24, business time zone) or "
            + "pricing category; each group with its cost and return (README \"Cost and return\").")
    @APIResponse(responseCode = "200", description = "One group per dimension value")
    @APIResponse(responseCode = "400", description = "Invalid filter")
    public Uni<MetricsViews.Summary> summary(
            @QueryParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("variant") @Pattern(regexp = ID, message = ID_MESSAGE) String variant,
            @QueryParam("messageType") @Pattern(regexp = "[a-z_]{1,40}", message = "must be a message type") String messageType,
            @QueryParam("segmentId") @Pattern(regexp = ID, message = ID_MESSAGE) String segmentId,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("by") @DefaultValue("all") @Pattern(regexp = "all|campaign|variant|type|send-window|category",
                    message = "must be all, campaign, variant, type, send-window or category") String by) {
        MetricFilter filter = filter(campaignId, variant, messageType, segmentId, from, to);
        Dimension dimension = Dimension.valueOf(by.toUpperCase(Locale.ROOT).replace('-', '_'));
        return queries.counts(filter, dimension).map(groups -> new MetricsViews.Summary(by, range(filter),
                groups.stream().map(MetricsViews.Group::of).toList()));
    }

    @GET
    @Path("/campaigns/{campaignId}")
    @RolesAllowed({"analyst", "marketer", "admin", "campaign-results"})
    @Operation(summary = "A campaign's metrics", description = "Overall, per variant, per message type and per send "
            + "window and pricing category, each with its cost and return; the A/B test on the chosen metric (chi-square, p-value, winner when significant with enough "
            + "sample); failures by error code with 131049 and rate limits apart.")
    public Uni<MetricsViews.Campaign> campaign(
            @PathParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("metric") @DefaultValue("click-through") @Pattern(regexp = "open|click-through|conversion|engagement",
                    message = "must be open, click-through, conversion or engagement") String metric) {
        MetricFilter filter = filter(campaignId, null, null, null, from, to);
        return Uni.combine().all().unis(queries.counts(filter, Dimension.ALL), queries.counts(filter, Dimension.VARIANT),
                queries.counts(filter, Dimension.TYPE), queries.counts(filter, Dimension.SEND_WINDOW),
                queries.counts(filter, Dimension.CATEGORY), queries.failures(filter))
                .with((all, variants, types, windows, categories, failures) -> {
                    Counts overall = all.isEmpty() ? new Counts("all", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                            Counts.Spend.none(config.cost().currency())) : all.get(0);
                    List<VariantTest.Arm> arms = variants.stream().filter(v -> v.dimension() != null)
                            .map(v -> arm(v, metric)).toList();
                    VariantTest.Outcome test = VariantTest.evaluate(arms, config.minimumSamplePerVariant(), config.significanceLevel());
                    return new MetricsViews.Campaign(campaignId, range(filter), MetricsViews.Group.of(overall),
                            variants.stream().map(MetricsViews.Group::of).toList(), types.stream().map(MetricsViews.Group::of).toList(),
                            windows.stream().map(MetricsViews.Group::of).toList(),
                            categories.stream().map(MetricsViews.Group::of).toList(),
                            new MetricsViews.AbTest(metric, test.arms(), test.pValue(), test.significant(), test.enoughSample(),
                                    config.minimumSamplePerVariant(), test.winner()),
                            failures(failures));
                });
    }

    @GET
    @Path("/failures")
    @Operation(summary = "Failed messages by error code", description = "131049 (per-user marketing limit: Meta held the "
            + "message back; retry after 24 h) and rate limits (4, 80007, 130429, 131048, 131056) are counted apart.")
    public Uni<MetricsViews.Failures> failures(
            @QueryParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        return queries.failures(filter(campaignId, null, null, null, from, to)).map(MetricsResource::failures);
    }

    @GET
    @Path("/read-times")
    @RolesAllowed({"analyst", "marketer", "admin", "read-times"})
    @Operation(summary = "When messages are read", description = "Reads by hour of day and by 3-hour window in the business "
            + "time zone, and delivery/read/engagement per send window.")
    public Uni<MetricsViews.ReadTimes> readTimes(
            @QueryParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("segmentId") @Pattern(regexp = ID, message = ID_MESSAGE) String segmentId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        MetricFilter filter = filter(campaignId, null, null, segmentId, from, to);
        return Uni.combine().all().unis(queries.readHours(filter), queries.counts(filter, Dimension.SEND_WINDOW))
                .with((hours, windows) -> new MetricsViews.ReadTimes(config.timeZone().getId(), range(filter), hours,
                        threeHourWindows(hours), windows.stream().map(MetricsViews.Group::of).toList()));
    }

    @GET
    @Path("/links")
    @Operation(summary = "Most popular links", description = "Clicks, unique clickers and repeat clicks per tracked link.")
    public Uni<List<EngagementQueries.LinkClicks>> links(
            @QueryParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        MetricFilter filter = filter(campaignId, null, null, null, from, to);
        return queries.links(campaignId, filter.from(), filter.to());
    }

    @GET
    @Path("/csat")
    @Operation(summary = "Customer satisfaction", description = "Answers to a CSAT question received in the range, credited to "
            + "the campaign message they answer (quoted, else the last one within the reply window); score = answers of 4 or 5 / "
            + "all × 100. A tapped id of the survey's prefix and a digit (csat_1 … csat_5) counts whatever it quotes; any other "
            + "score (a digit 1–5 typed or tapped, one to five stars, 👍 = 5, 👎 = 1) only when the message it is credited to is "
            + "marked as a CSAT survey: a menu choice is not a score.")
    public Uni<MetricsViews.Csat> csat(
            @QueryParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        MetricFilter filter = filter(campaignId, null, null, null, from, to);
        return queries.csatScores(filter).map(byScore -> {
            long responses = IntStream.rangeClosed(1, 5).mapToLong(s -> byScore[s]).sum();
            long positive = IntStream.rangeClosed(1, 5).filter(CsatAnswer::positive).mapToLong(s -> byScore[s]).sum();
            return new MetricsViews.Csat(campaignId, range(filter), responses, positive, Rates.percent(positive, responses),
                    java.util.Arrays.copyOfRange(byScore, 1, 6));
        });
    }

    @GET
    @Path("/subjects/{subjectId}/read-hours")
    @RolesAllowed({"marketer", "admin"}) // one person's habits: not for analysts, who read aggregates
    @Operation(summary = "A subject's read hours", description = "For send-time optimisation: the subject's reads by hour of "
            + "day in the business time zone and the best hours (most reads first, at most three).")
    public Uni<MetricsViews.SubjectReadHours> subjectReadHours(
            @PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id") String subjectId) {
        return queries.subjectReadHours(subjectId).map(hours -> {
            long total = java.util.Arrays.stream(hours).sum();
            return new MetricsViews.SubjectReadHours(subjectId, config.timeZone().getId(), total, hours, bestHours(hours));
        });
    }

    @GET
    @Path("/conversations")
    @Operation(summary = "Response and resolution times", description = "Conversations whose customer messages fall in the "
            + "range (default: the 30 days before now; at most sohbet.metrics.conversations.max-range, 92 days): average and "
            + "median response time (first unanswered customer message → next business reply), first response time, resolution "
            + "time (explicit resolve, or the last message before the configured inactivity), each also in business hours. "
            + "Campaign messages are not replies.")
    @APIResponse(responseCode = "200", description = "The times")
    @APIResponse(responseCode = "400", description = "Invalid range, or longer than the maximum")
    public Uni<MetricsViews.ConversationMetrics> conversations(@QueryParam("from") String from, @QueryParam("to") String to) {
        Instant now = Instant.now();
        MetricsViews.Range range = conversationRange(from, to, now, config.conversations());
        return conversations.measure(range.from(), range.to(), now).map(s -> new MetricsViews.ConversationMetrics(
                range, s.conversations(), s.open(),
                times(s.responses(), s.responsesInBusinessHours()), times(s.firstResponses(), s.firstResponsesInBusinessHours()),
                times(s.resolutions(), s.resolutionsInBusinessHours())));
    }

    /** {@code to} defaults to now, {@code from} to the default range before it; a range longer than the maximum is refused. */
    static MetricsViews.Range conversationRange(String from, String to, Instant now, MetricsConfig.ConversationsConfig limits) {
        Instant end = instant("to", to, now);
        Instant start = instant("from", from, end.minus(limits.defaultRange()));
        if (!start.isBefore(end)) {
            throw new InvalidQueryException("/to", "must be after from");
        }
        if (java.time.Duration.between(start, end).compareTo(limits.maxRange()) > 0) {
            throw new InvalidQueryException("/from", "the range may cover at most " + limits.maxRange().toDays() + " days");
        }
        return new MetricsViews.Range(start, end);
    }

    @POST
    @Path("/conversations/{subjectId}/resolve")
    @RolesAllowed({"marketer", "admin"})
    @Operation(summary = "Resolve a subject's open conversation", description = "Ends it now for resolution-time metrics.")
    @APIResponse(responseCode = "204", description = "Recorded")
    public Uni<Void> resolve(@PathParam("subjectId") @Pattern(regexp = "[A-Za-z0-9_-]{16,64}", message = "must be a subject id")
            String subjectId) {
        return conversations.resolve(subjectId, Instant.now(), identity.getPrincipal().getName());
    }

    @GET
    @Path("/feedback")
    @Operation(summary = "Feedback insights", description = "Open-ended text replies received in the range (optionally "
            + "credited to a campaign): sentiment counts, top keyword stems (Turkish-aware), recurring themes (delivery, price, "
            + "quality, returns, service) and replies needing urgent follow-up (negative with an urgent word). No text is "
            + "stored or returned.")
    public Uni<Feedback.Insights> feedback(
            @QueryParam("campaignId") @Pattern(regexp = ID, message = ID_MESSAGE) String campaignId,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        MetricFilter filter = filter(campaignId, null, null, null, from, to);
        return feedback.insights(campaignId, filter.from(), filter.to());
    }

    static MetricsViews.Times times(ConversationStats.Times all, ConversationStats.Times business) {
        return new MetricsViews.Times(all.mean(), all.median(), business.mean(), business.median(), all.size());
    }

    /** The hours with reads, most reads first (ties: earlier hour first), at most three. */
    static List<Integer> bestHours(long[] hours) {
        return IntStream.range(0, 24).filter(h -> hours[h] > 0).boxed()
                .sorted(Comparator.<Integer>comparingLong(h -> hours[h]).reversed().thenComparing(h -> h)).limit(3).toList();
    }

    static VariantTest.Arm arm(Counts c, String metric) {
        return switch (metric) {
            case "open" -> new VariantTest.Arm(c.dimension(), c.opened(), c.delivered());
            case "conversion" -> new VariantTest.Arm(c.dimension(), c.converters(), c.readers());
            case "engagement" -> new VariantTest.Arm(c.dimension(), c.engaged(), c.readers());
            default -> new VariantTest.Arm(c.dimension(), c.clickers(), c.readers());
        };
    }

    static MetricsViews.Failures failures(Map<Integer, Long> byCode) {
        List<MetricsViews.Failure> out = new ArrayList<>();
        long total = 0;
        long ecosystem = 0;
        long rate = 0;
        for (Map.Entry<Integer, Long> e : byCode.entrySet()) {
            Integer code = e.getKey();
            String kind = code == null ? "unknown" : code == ECOSYSTEM_LIMIT ? "ecosystem-limit"
                    : RATE_LIMITS.contains(code) ? "rate-limit" : "other";
            out.add(new MetricsViews.Failure(code, kind, e.getValue()));
            total += e.getValue();
            ecosystem += kind.equals("ecosystem-limit") ? e.getValue() : 0;
            rate += kind.equals("rate-limit") ? e.getValue() : 0;
        }
        return new MetricsViews.Failures(total, ecosystem, rate, out);
    }

    static List<MetricsViews.Window> threeHourWindows(long[] hours) {
        List<MetricsViews.Window> out = new ArrayList<>();
        for (int start = 0; start < 24; start += 3) {
            out.add(new MetricsViews.Window(String.format("%02d-%02d", start, start + 3), hours[start] + hours[start + 1] + hours[start + 2]));
        }
        return out;
    }

    private static MetricFilter filter(String campaignId, String variant, String type, String segmentId, String from, String to) {
        Instant start = instant("from", from, ALL_FROM);
        Instant end = instant("to", to, ALL_TO);
        if (!start.isBefore(end)) {
            throw new InvalidQueryException("/to", "must be after from");
        }
        return new MetricFilter(campaignId, variant, type, segmentId, start, end);
    }

    private static Instant instant(String name, String value, Instant absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidQueryException("/" + name, "must be an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
        // Instant's years reach far beyond PostgreSQL's timestamps and Java's offsets: those would be a 500
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw new InvalidQueryException("/" + name, "must be between the years 1 and 9999");
        }
        return parsed;
    }

    private static MetricsViews.Range range(MetricFilter filter) {
        return new MetricsViews.Range(filter.from(), filter.to());
    }
}
