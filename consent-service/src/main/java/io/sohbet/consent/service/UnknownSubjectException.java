package io.sohbet.consent.service;

/** The request names a subject this service holds nothing about. */
public class UnknownSubjectException extends RuntimeException {

    public UnknownSubjectException() {
        super("nothing is held about this subject", null, false, false);
    }
}
