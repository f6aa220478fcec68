package io.sohbet.consent.iys;

/**
 * İYS refused a consent (HTTP 422, or a failed item of a batch) with one of its codes ({@code H…}): a business outcome,
 * not retried. The message is İYS's, with anything like a phone number masked.
 */
public class IysRefusedException extends RuntimeException {

    private final String code;
    private final String location;

    public IysRefusedException(String code, String location, String message) {
        super(IysClient.masked(message), null, false, false);
        this.code = code;
        this.location = location;
    }

    public String code() {
        return code;
    }

    /** The field İYS named, or null. */
    public String location() {
        return location;
    }

    /** {@code H920 consentDate: consentDate is more than 3 business days old}. */
    public String reason() {
        return code + (location == null ? "" : " " + location) + ": " + getMessage();
    }
}
