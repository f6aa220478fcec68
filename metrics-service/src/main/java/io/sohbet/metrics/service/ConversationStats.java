package io.sohbet.metrics.service;

import java.time.Duration;
import java.util.Arrays;

/**
 * Response, first-response and resolution times of many conversations, added one subject's {@link ConversationTimes.Sample}
 * at a time and kept compactly (a {@code long} per measured time), so that only the page of timelines being measured is
 * held as objects. Means and medians are those of {@link ConversationTimes#mean} and {@link ConversationTimes#median}.
 */
public final class ConversationStats {

    private final Times responses = new Times();
    private final Times responsesInBusinessHours = new Times();
    private final Times firstResponses = new Times();
    private final Times firstResponsesInBusinessHours = new Times();
    private final Times resolutions = new Times();
    private final Times resolutionsInBusinessHours = new Times();
    private int conversations;
    private int open;

    /** Adds the measurements of one subject's timeline. */
    public void add(ConversationTimes.Sample s) {
        s.responses().forEach(responses::add);
        s.responsesInBusinessHours().forEach(responsesInBusinessHours::add);
        s.firstResponses().forEach(firstResponses::add);
        s.firstResponsesInBusinessHours().forEach(firstResponsesInBusinessHours::add);
        s.resolutions().forEach(resolutions::add);
        s.resolutionsInBusinessHours().forEach(resolutionsInBusinessHours::add);
        conversations += s.conversations();
        open += s.open();
    }

    public Times responses() {
        return responses;
    }

    public Times responsesInBusinessHours() {
        return responsesInBusinessHours;
    }

    public Times firstResponses() {
        return firstResponses;
    }

    public Times firstResponsesInBusinessHours() {
        return firstResponsesInBusinessHours;
    }

    public Times resolutions() {
        return resolutions;
    }

    public Times resolutionsInBusinessHours() {
        return resolutionsInBusinessHours;
    }

    public int conversations() {
        return conversations;
    }

    public int open() {
        return open;
    }

    /** Measured times of one kind, in nanoseconds. */
    public static final class Times {

        private long[] nanos = new long[16];
        private int size;
        private long millis;

        void add(Duration d) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = d.toNanos();
            millis += d.toMillis();
        }

        public int size() {
            return size;
        }

        /** The mean (whole milliseconds, as {@link ConversationTimes#mean}), or null for no values. */
        public Duration mean() {
            return size == 0 ? null : Duration.ofMillis(millis / size);
        }

        /** The median, or null for no values. */
        public Duration median() {
            if (size == 0) {
                return null;
            }
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            return size % 2 == 1 ? Duration.ofNanos(sorted[size / 2])
                    : Duration.ofNanos(sorted[size / 2 - 1]).plus(Duration.ofNanos(sorted[size / 2])).dividedBy(2);
        }
    }
}
