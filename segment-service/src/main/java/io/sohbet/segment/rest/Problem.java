package io.sohbet.segment.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An RFC 9457 problem detail ({@code application/problem+json}); never a stack trace or a class name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: where it is in the request and what is wrong with it. */
    public record FieldError(String pointer, String detail) {
    }

    public static Response response(int status, String title, String detail, List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("https://sohbet.io/problems/" + title.toLowerCase().replace(' ', '-'), title, status,
                        detail, errors))
                .build();
    }
}
