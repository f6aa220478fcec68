package io.sohbet.campaign.rest;

import io.sohbet.kit.Problem;

import java.util.List;

/** A campaign's template cannot be sent as defined (unknown, not approved, wrong parameters); answered 422 with pointers. */
public class UnusableTemplateException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public UnusableTemplateException(List<Problem.FieldError> errors) {
        super("unusable template", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
