package io.sohbet.segment.service;

import java.util.List;

/** A segment rule that cannot be used; each error points at the bad node with a JSON pointer. */
public class InvalidRuleException extends RuntimeException {

    /** One problem in a rule. */
    public record Error(String pointer, String detail) {
    }

    private final List<Error> errors;

    public InvalidRuleException(List<Error> errors) {
        super(errors.size() + " problem(s) in the rule", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<Error> errors() {
        return errors;
    }
}
