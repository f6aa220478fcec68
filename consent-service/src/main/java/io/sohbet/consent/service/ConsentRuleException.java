package io.sohbet.consent.service;

/** A consent request that is well-formed but breaks a rule of the ledger (400, with a pointer). */
public class ConsentRuleException extends RuntimeException {

    private final String pointer;

    public ConsentRuleException(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
