package io.sohbet.events.payload;

/** An error object of the Cloud API: branch on {@code code} and {@code details}, never on {@code title}. */
public record WaError(int code, String title, String details, String href) {
}
