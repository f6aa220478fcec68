package io.sohbet.webhook.service;

/** A shop event id that was already used for a different body (409). */
public class CommerceConflictException extends RuntimeException {

    public CommerceConflictException(String shopEventId) {
        super("event id " + shopEventId + " was already received with a different body");
    }
}
