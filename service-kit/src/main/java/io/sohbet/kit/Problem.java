package io.sohbet.kit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}), the body of every 4xx and 5xx answer of every
 * service; never a stack trace or a class name. Registered for reflection: it leaves in a {@code Response}, whose
 * entity type Quarkus cannot see when it builds a native image.
 *
 * @param type   {@code https://sohbet.io/problems/<title in kebab case>}
 * @param errors the invalid fields, when the request had some
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: a JSON pointer into the request body (or the name of a parameter) and what is wrong. */
    public record FieldError(String pointer, String detail) {
    }

    public static Response response(int status, String title, String detail) {
        return response(status, title, detail, null);
    }

    public static Response response(int status, String title, String detail, List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("https://sohbet.io/problems/" + title.toLowerCase().replace(' ', '-'), title, status,
                        detail, errors))
                .build();
    }

    /** 400 "Invalid request" with the fields that are wrong. */
    public static Response invalid(List<FieldError> errors) {
        return response(400, "Invalid request", "the request is invalid", errors);
    }
}
