package io.sohbet.consent.iys;

/**
 * İYS refused a call itself (400, 403, 404, a bad grant): our configuration or request is wrong, retrying does not
 * help. The status and İYS's error code, never the request's content.
 */
public class IysCallException extends RuntimeException {

    private final int status;

    public IysCallException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
