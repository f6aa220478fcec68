package io.sohbet.metrics.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Response, first-response and resolution times from one subject's timeline of customer messages, business
 * replies and explicit resolutions. A conversation starts with a customer message when none is open and ends with an
 * explicit resolution or, after {@code inactivity} without any message, at its last message. Response time runs from
 * the first unanswered customer message to the next business reply; first response time from the conversation's
 * start to its first reply; resolution time from start to end. Each is also measured in business hours.
 */
public final class ConversationTimes {

    /** One point of a timeline. */
    public record Point(Instant at, Kind kind) {
    }

    public enum Kind { CUSTOMER, BUSINESS, RESOLVED }

    /** The measurements of one timeline ({@link ConversationStats} keeps those of many). */
    public record Sample(List<Duration> responses, List<Duration> responsesInBusinessHours, List<Duration> firstResponses,
            List<Duration> firstResponsesInBusinessHours, List<Duration> resolutions, List<Duration> resolutionsInBusinessHours,
            int conversations, int open) {

        static Sample empty() {
            return new Sample(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), 0, 0);
        }
    }

    private ConversationTimes() {
    }

    /** @param timeline one subject's points in time order; {@code now} closes conversations idle for long enough */
    public static Sample measure(List<Point> timeline, Duration inactivity, BusinessHours hours, Instant now) {
        Sample sample = Sample.empty();
        int conversations = 0;
        int open = 0;
        Instant start = null;
        Instant last = null;
        Instant unanswered = null;
        boolean replied = false;
        for (Point p : timeline) {
            if (start != null && Duration.between(last, p.at()).compareTo(inactivity) >= 0) {
                close(sample, start, last, hours);
                start = null;
            }
            switch (p.kind()) {
                case CUSTOMER -> {
                    if (start == null) {
                        start = p.at();
                        conversations++;
                        replied = false;
                    }
                    if (unanswered == null) {
                        unanswered = p.at();
                    }
                    last = p.at();
                }
                case BUSINESS -> {
                    if (unanswered != null) {
                        sample.responses().add(Duration.between(unanswered, p.at()));
                        sample.responsesInBusinessHours().add(hours.between(unanswered, p.at()));
                        unanswered = null;
                    }
                    if (start != null && !replied) {
                        sample.firstResponses().add(Duration.between(start, p.at()));
                        sample.firstResponsesInBusinessHours().add(hours.between(start, p.at()));
                        replied = true;
                    }
                    if (start != null) {
                        last = p.at();
                    }
                }
                case RESOLVED -> {
                    if (start != null) {
                        close(sample, start, p.at(), hours);
                        start = null;
                        unanswered = null;
                    }
                }
            }
        }
        if (start != null) {
            if (Duration.between(last, now).compareTo(inactivity) >= 0) {
                close(sample, start, last, hours);
            } else {
                open++;
            }
        }
        return new Sample(sample.responses(), sample.responsesInBusinessHours(), sample.firstResponses(),
                sample.firstResponsesInBusinessHours(), sample.resolutions(), sample.resolutionsInBusinessHours(), conversations, open);
    }

    /**
     * Where one subject's timeline (in the order {@link #measure} takes it) can be cut into parts that, measured apart,
     * give exactly what the whole gives, for whatever range a reader asks for (customer messages in the range, replies
     * and resolutions up to {@code inactivity} after it): before a customer message that comes {@code inactivity} or
     * more after the previous point while no customer message is waiting for an answer. The conversation has ended by
     * inactivity there, and nothing before can reach past it: an unanswered message (answered by the next reply even
     * after a pause, and so not a cut) is the only state a conversation leaves behind. An explicit resolution alone is
     * not a cut: a range that ends before a later customer message can leave the conversation closed by inactivity
     * before the resolution, and its unanswered message answered by a reply after it.
     *
     * @return the times of the customer messages each later part starts with, in order
     */
    public static List<Instant> independentStarts(List<Point> timeline, Duration inactivity) {
        List<Instant> starts = new ArrayList<>();
        Instant start = null;
        Instant last = null;
        Instant unanswered = null;
        Instant previous = null;
        for (Point p : timeline) {
            if (p.kind() == Kind.CUSTOMER && previous != null && unanswered == null
                    && Duration.between(previous, p.at()).compareTo(inactivity) >= 0) {
                starts.add(p.at());
            }
            previous = p.at();
            if (start != null && Duration.between(last, p.at()).compareTo(inactivity) >= 0) {
                start = null;
            }
            switch (p.kind()) {
                case CUSTOMER -> {
                    start = start == null ? p.at() : start;
                    unanswered = unanswered == null ? p.at() : unanswered;
                    last = p.at();
                }
                case BUSINESS -> {
                    unanswered = null;
                    last = start != null ? p.at() : last;
                }
                case RESOLVED -> {
                    if (start != null) {
                        start = null;
                        unanswered = null;
                    }
                }
            }
        }
        return starts;
    }

    private static void close(Sample sample, Instant start, Instant end, BusinessHours hours) {
        sample.resolutions().add(Duration.between(start, end));
        sample.resolutionsInBusinessHours().add(hours.between(start, end));
    }

    /** The mean, or null for no values. */
    public static Duration mean(List<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        long millis = 0;
        for (Duration d : values) {
            millis += d.toMillis();
        }
        return Duration.ofMillis(millis / values.size());
    }

    /** The median, or null for no values. */
    public static Duration median(List<Duration> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }
}
