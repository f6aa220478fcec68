package io.sohbet.webhook.service;

/** A request body over the configured limit (413). */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("the body is larger than " + limit + " bytes");
    }
}
