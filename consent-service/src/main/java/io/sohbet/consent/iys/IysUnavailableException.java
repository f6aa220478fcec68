package io.sohbet.consent.iys;

/** İYS could not be reached or answered with a failure worth retrying (429, 5xx, a timeout): transient. */
public class IysUnavailableException extends RuntimeException {

    public IysUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
