package io.sohbet.webhook.service;

import io.sohbet.kit.Problem;

import java.util.List;

/** A request body that is well-formed JSON but breaks the documented rules (400, with a pointer per field). */
public class RequestValidationException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public RequestValidationException(String message, List<Problem.FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
