package io.sohbet.webhook.service;

/** A webhook whose signature (or signed timestamp) is missing, does not match its body, or is too old (401). */
public class InvalidSignatureException extends RuntimeException {

    public InvalidSignatureException(String header) {
        this(header, " is missing or does not match the body");
    }

    private InvalidSignatureException(String subject, String problem) {
        super(subject + problem);
    }

    /** Refused for another reason than a wrong signature, told in {@code detail}. */
    public static InvalidSignatureException because(String detail) {
        return new InvalidSignatureException(detail, "");
    }
}
