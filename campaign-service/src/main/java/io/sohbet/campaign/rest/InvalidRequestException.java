package io.sohbet.campaign.rest;

import io.sohbet.kit.Problem;

import java.util.List;

/** A request that is well-formed but invalid, with a pointer to each invalid field; answered 400. */
public class InvalidRequestException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public InvalidRequestException(List<Problem.FieldError> errors) {
        super("invalid request", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(String pointer, String detail) {
        this(List.of(new Problem.FieldError(pointer, detail)));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
