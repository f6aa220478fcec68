package io.sohbet.metrics.rest;

/** A query parameter that cannot be used; {@code pointer} names it. */
public class InvalidQueryException extends RuntimeException {

    private final String pointer;

    public InvalidQueryException(String pointer, String message) {
        super(message, null, false, false);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
