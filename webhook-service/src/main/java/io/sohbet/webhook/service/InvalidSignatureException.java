package io.sohbet.webhook.service;

/** A webhook whose signature header is missing or does not match its body (401). */
public class InvalidSignatureException extends RuntimeException {

    public InvalidSignatureException(String header) {
        super(header + " is missing or does not match the body");
    }
}
