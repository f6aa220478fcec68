package io.sohbet.webhook.messaging;

/**
 * The deliveries of one event loop still waiting for Kafka's acknowledgements, oldest first, each given up on once it
 * has waited the publish timeout: one periodic sweep per event loop instead of a Vert.x timer set and cancelled per
 * delivery (a timer's priority-queue insertion and removal and its map entries cost ~3 % of a delivery's CPU,
 * docs/benchmarks.md). All deliveries wait the same timeout, so the order they started in is the order they expire in,
 * and a sweep stops at the first one still within its time. Used by one thread only (the event loop's): no locking.
 */
final class Waiting {

    /** One delivery in the list. */
    abstract static class Entry {
        private Entry previous;
        private Entry next;
        private boolean listed;
        final long started;

        Entry(long started) {
            this.started = started;
        }

        /** Given up on: waited longer than the timeout. Called by {@link #sweep} after the entry left the list. */
        abstract void expired();
    }

    private final long timeoutNanos;
    private Entry oldest;
    private Entry newest;
    private int size;

    Waiting(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** {@code entry}, started now or later than every entry in the list. */
    void add(Entry entry) {
        entry.previous = newest;
        entry.next = null;
        if (newest == null) {
            oldest = entry;
        } else {
            newest.next = entry;
        }
        newest = entry;
        entry.listed = true;
        size++;
    }

    /** Takes {@code entry} out (answered); nothing when it is not in the list (already swept). */
    void remove(Entry entry) {
        if (!entry.listed) {
            return;
        }
        if (entry.previous == null) {
            oldest = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            newest = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
        entry.listed = false;
        size--;
    }

    /** Takes out every entry that has waited the timeout at {@code now} and tells it so, oldest first. */
    void sweep(long now) {
        while (oldest != null && now - oldest.started >= timeoutNanos) {
            Entry expired = oldest;
            remove(expired);
            expired.expired();
        }
    }

    int size() {
        return size;
    }
}
