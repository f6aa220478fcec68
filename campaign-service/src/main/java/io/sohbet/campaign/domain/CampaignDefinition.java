package io.sohbet.campaign.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.sohbet.events.LinkTokens;
import io.sohbet.kit.Problem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a campaign is: who gets it (segments snapshotted at launch, exclusions, a hold-out control group), what they
 * get (one or more weighted variants, each a WhatsApp template or a free-form message), when (a fixed time, each
 * recipient's best hour, or a local time), and the guards (quiet hours, frequency cap). Bean Validation checks each
 * field; {@link #problems()} checks what depends on several fields.
 *
 * @param csatSurvey every message of the campaign asks the customer-satisfaction question: its {@code campaign.message}
 *                   events carry the mark, and metrics-service then counts a bare score replying to it (a digit 1–5,
 *                   stars, 👍 / 👎) for CSAT; absent or null = false, anything but a JSON boolean is refused
 * @param sendPath   {@code messages} (the Cloud API's {@code /messages}, the default) or {@code marketing_messages} (Meta's
 *                   Marketing Messages API, {@code /marketing_messages}: MARKETING templates only, priced
 *                   {@code marketing_lite}); every variant must then be a template of category MARKETING
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignDefinition(
        @NotBlank @Size(max = 200) String name,
        @NotNull @Valid Audience audience,
        @NotNull @Size(min = 1, max = 10) List<@NotNull @Valid Variant> variants,
        @Valid AbTest abTest,
        @Valid Schedule schedule,
        @Valid QuietHours quietHours,
        @Valid FrequencyCap frequencyCap,
        @JsonDeserialize(using = StrictBoolean.class) boolean csatSurvey,
        @Pattern(regexp = "messages|marketing_messages", message = "must be messages or marketing_messages") String sendPath) {

    public static final String MARKETING_MESSAGES = "marketing_messages";
    public static final String SEGMENT_ID = "[a-z0-9][a-z0-9-]{0,63}";
    public static final String NAME_ID = "[A-Za-z0-9_-]{1,32}";

    /** Members of any of {@code segments} at launch, minus members of any of {@code excludeSegments}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Audience(
            @NotNull @Size(min = 1, max = 20) List<@NotNull @Pattern(regexp = SEGMENT_ID, message = "must be a segment id") String> segments,
            @Size(max = 20) List<@NotNull @Pattern(regexp = SEGMENT_ID, message = "must be a segment id") String> excludeSegments,
            @Min(0) @Max(50) Integer holdoutPercent) {

        public List<String> exclusions() {
            return excludeSegments == null ? List.of() : excludeSegments;
        }

        public int holdout() {
            return holdoutPercent == null ? 0 : holdoutPercent;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Variant(
            @NotNull @Pattern(regexp = NAME_ID, message = "must be 1-32 letters, digits, _ or -") String id,
            @Min(1) @Max(1000) Integer weight,
            @NotNull @Valid Message message) {

        public int weightOrOne() {
            return weight == null ? 1 : weight;
        }
    }

    /**
     * A message. {@code template} (any time) or, inside the customer's 24-hour window, {@code text}, {@code image},
     * {@code video}, {@code document} or {@code interactive} (the Cloud API object, passed on). Texts may use
     * {@code {{firstName}}}, {@code {{name}}} (from the vault at send time; {@code {{firstName|fallback}}}) and
     * {@code {{link}}} (the tracked link's URL).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(
            @NotNull @Pattern(regexp = "template|text|image|video|document|interactive",
                    message = "must be template, text, image, video, document or interactive") String type,
            @Valid Template template,
            @Size(max = 4096) String text,
            @Valid Media media,
            JsonNode interactive,
            @Valid TrackedLink trackedLink) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(
            @NotBlank @Size(max = 512) @Pattern(regexp = "[a-z0-9_]+", message = "must be a template name (a-z, 0-9, _)") String name,
            @NotBlank @Pattern(regexp = "[a-z]{2,3}(_[A-Z]{2})?", message = "must be a language code such as tr or en_US") String language,
            @Valid Header header,
            @Size(max = 20) List<@NotNull @Size(min = 1, max = 1024) String> body,
            @Size(max = 10) List<@NotNull @Valid QuickReply> quickReplies) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Header(
            @NotNull @Pattern(regexp = "text|image|video|document", message = "must be text, image, video or document") String type,
            @Size(max = 60) String text,
            @Size(max = 2000) String link) {
    }

    /** A quick-reply button of the template: its index and the payload that comes back when tapped. */
    public record QuickReply(@Min(0) @Max(9) int index, @NotBlank @Size(max = 256) String payload) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(@NotBlank @Size(max = 2000) String link, @Size(max = 1024) String caption, @Size(max = 240) String filename) {
    }

    /**
     * A per-recipient tracked link: the token is the dynamic suffix of the template's URL button {@code buttonIndex}
     * (the template's URL is {@code https://<webhook host>/l/{{1}}}), or {@code {{link}}} in a free-form text.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrackedLink(
            @NotNull @Pattern(regexp = NAME_ID, message = "must be 1-32 letters, digits, _ or -") String id,
            @NotBlank @Size(max = 2000) String target,
            @Min(0) @Max(9) Integer buttonIndex) {
    }

    /**
     * A test phase on {@code testPercent} % of the audience for {@code duration}; then the significant winner on
     * {@code metric} (metrics-service's chi-square test) goes to the rest. Without a significant winner:
     * {@code leading} (best rate so far, the default), {@code first} (the first variant) or {@code split} (keep the
     * weights).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AbTest(
            @Min(1) @Max(90) int testPercent,
            @NotNull Duration duration,
            @Pattern(regexp = "open|click-through|conversion|engagement", message = "must be open, click-through, conversion or engagement") String metric,
            @Pattern(regexp = "leading|first|split", message = "must be leading, first or split") String fallback) {

        public String metricOrDefault() {
            return metric == null ? "click-through" : metric;
        }

        public String fallbackOrDefault() {
            return fallback == null ? "leading" : fallback;
        }
    }

    /**
     * {@code at}: everyone from {@code at} (or when scheduled); {@code best-time}: each recipient at their best read
     * hour within {@code window} from the start (falling back to the segment's, then everyone's best hour);
     * {@code local-time}: at {@code localTime} in each recipient's time zone, the first such time after the start.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Schedule(
            @NotNull @Pattern(regexp = "at|best-time|local-time", message = "must be at, best-time or local-time") String mode,
            Instant at,
            Duration window,
            LocalTime localTime) {

        public Duration windowOrDefault() {
            return window == null ? Duration.ofHours(24) : window;
        }
    }

    /** Overrides the configured quiet hours (start–end in the recipient's local time; {@code enabled: false}: none). */
    public record QuietHours(Boolean enabled, LocalTime start, LocalTime end) {
    }

    /** At most {@code messages} campaign messages per recipient within {@code period} (all campaigns counted). */
    public record FrequencyCap(@Min(1) @Max(1000) int messages, @NotNull Duration period) {
    }

    /** Whether the campaign goes through the Marketing Messages API. */
    public boolean marketingMessages() {
        return MARKETING_MESSAGES.equals(sendPath);
    }

    public Schedule scheduleOrNow() {
        return schedule == null ? new Schedule("at", null, null, null) : schedule;
    }

    /** What is wrong across fields (Bean Validation has checked each field). */
    public List<Problem.FieldError> problems() {
        List<Problem.FieldError> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            String at = "/variants/" + i;
            if (!ids.add(v.id())) {
                out.add(new Problem.FieldError(at + "/id", "variant ids must be unique"));
            }
            message(v.message(), at + "/message", out);
            if (marketingMessages() && !"template".equals(v.message().type())) {
                out.add(new Problem.FieldError(at + "/message/type", "the Marketing Messages API (sendPath marketing_messages) "
                        + "sends marketing templates only"));
            }
        }
        if (abTest != null) {
            if (variants.size() < 2) {
                out.add(new Problem.FieldError("/abTest", "an A/B test needs at least two variants"));
            }
            if (abTest.duration() != null && (abTest.duration().compareTo(Duration.ofMinutes(10)) < 0
                    || abTest.duration().compareTo(Duration.ofDays(7)) > 0)) {
                out.add(new Problem.FieldError("/abTest/duration", "must be between PT10M and P7D"));
            }
        }
        Schedule s = scheduleOrNow();
        if (s.window() != null && (s.window().compareTo(Duration.ofHours(1)) < 0 || s.window().compareTo(Duration.ofDays(7)) > 0)) {
            out.add(new Problem.FieldError("/schedule/window", "must be between PT1H and P7D"));
        }
        if ("local-time".equals(s.mode()) && s.localTime() == null) {
            out.add(new Problem.FieldError("/schedule/localTime", "is required for local-time scheduling"));
        }
        if (quietHours != null && !Boolean.FALSE.equals(quietHours.enabled())) {
            if (quietHours.start() == null || quietHours.end() == null || quietHours.start().equals(quietHours.end())) {
                out.add(new Problem.FieldError("/quietHours", "needs a start and a different end (or enabled: false)"));
            }
        }
        if (frequencyCap != null && frequencyCap.period() != null && (frequencyCap.period().compareTo(Duration.ofHours(1)) < 0
                || frequencyCap.period().compareTo(Duration.ofDays(90)) > 0)) {
            out.add(new Problem.FieldError("/frequencyCap/period", "must be between PT1H and P90D"));
        }
        for (String excluded : audience.exclusions()) {
            if (audience.segments().contains(excluded)) {
                out.add(new Problem.FieldError("/audience/excludeSegments", "a segment cannot be both targeted and excluded"));
            }
        }
        return out;
    }

    private static void message(Message m, String at, List<Problem.FieldError> out) {
        switch (m.type()) {
            case "template" -> {
                if (m.template() == null) {
                    out.add(new Problem.FieldError(at + "/template", "is required for a template message"));
                } else if (m.template().header() != null) {
                    Header h = m.template().header();
                    if (h.type().equals("text") ? h.text() == null || h.text().isBlank() : !LinkTokensView.isWebUrl(h.link())) {
                        out.add(new Problem.FieldError(at + "/template/header", h.type().equals("text")
                                ? "a text header needs text" : "a media header needs an http(s) link"));
                    }
                }
                if (m.trackedLink() != null && m.trackedLink().buttonIndex() == null) {
                    out.add(new Problem.FieldError(at + "/trackedLink/buttonIndex", "is required for a template's URL button"));
                }
            }
            case "text" -> {
                if (m.text() == null || m.text().isBlank()) {
                    out.add(new Problem.FieldError(at + "/text", "is required for a text message"));
                }
            }
            case "interactive" -> {
                if (m.interactive() == null || !m.interactive().isObject() || !m.interactive().hasNonNull("type")) {
                    out.add(new Problem.FieldError(at + "/interactive", "must be a Cloud API interactive object with a type"));
                }
            }
            default -> {
                if (m.media() == null || !LinkTokensView.isWebUrl(m.media().link())) {
                    out.add(new Problem.FieldError(at + "/media/link", "an http(s) link to the " + m.type() + " is required"));
                }
            }
        }
        if (m.trackedLink() != null && !LinkTokensView.isWebUrl(m.trackedLink().target())) {
            out.add(new Problem.FieldError(at + "/trackedLink/target", "must be an absolute http(s) URL"));
        }
    }

    /** The URL rule of tracked links, for the other links of a message too. */
    static final class LinkTokensView {

        private LinkTokensView() {
        }

        static boolean isWebUrl(String url) {
            if (url == null) {
                return false;
            }
            try {
                new LinkTokens.Link("c", "v", "s", "l", url);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
