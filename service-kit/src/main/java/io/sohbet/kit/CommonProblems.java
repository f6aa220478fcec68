package io.sohbet.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The problem+json answers every service gives the same way: Bean Validation failures and unreadable JSON (400 with
 * a JSON pointer per field), the framework's own HTTP errors, and anything unexpected (500, logged, with nothing of the
 * cause in the answer); refused calls (401, 403) are {@link Refusals}'. A service maps only its own exceptions.
 */
public class CommonProblems {

    private static final Logger LOG = Logger.getLogger(CommonProblems.class);

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(pointer(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::pointer).thenComparing(Problem.FieldError::detail))
                .toList();
        return Problem.invalid(errors);
    }

    /** A body that is JSON but does not fit the model (wrong type, bad date, NUL character): where and what. */
    @ServerExceptionMapper
    public Response unreadable(JsonMappingException e) {
        return Problem.response(400, "Invalid request", "the body does not match the expected model",
                List.of(new Problem.FieldError(pointer(e), detail(e))));
    }

    /** Quarkus has a built-in mapper for this subtype (plain text); this one answers problem+json with the pointer. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unparseable(JsonProcessingException e) {
        return Problem.response(400, "Invalid request", "the body is not acceptable JSON");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return Problem.response(status, known == null ? "Error" : known.getReasonPhrase(),
                status == 400 ? "the body cannot be read" : null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return Problem.response(500, "Internal error", "an unexpected error occurred; it has been logged");
    }

    /** Where in the body Jackson stopped: {@code /order/items/0/quantity}. */
    public static String pointer(JsonMappingException e) {
        return "/" + e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("/"));
    }

    /** Jackson's own messages name Java types; ours say what is wrong in the request's terms. */
    public static String detail(JsonMappingException e) {
        if (e instanceof InvalidFormatException format) {
            if (format.getOriginalMessage() != null && format.getOriginalMessage().startsWith("must ")) {
                return format.getOriginalMessage(); // written for the client, e.g. by NoNulCharacters
            }
            return "cannot read the value " + format.getValue() + " as " + format.getTargetType().getSimpleName();
        }
        return "has the wrong type or shape";
    }

    /**
     * Where a violation is, as a JSON pointer: {@code create(definition).variants[0].message.type} →
     * {@code /variants/0/message/type}. The method and a body parameter are not part of the body; a parameter that
     * is itself the violation (a query parameter, a missing body) is named: {@code /from}, {@code /request}.
     */
    public static String pointer(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE
                    || kind == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (kind == ElementKind.PARAMETER && i < nodes.size() - 1) {
                continue; // the body itself: its properties follow
            }
            if (node.getIndex() != null) {
                out.append('/').append(node.getIndex());
            } else if (node.getKey() != null) {
                out.append('/').append(node.getKey());
            }
            if (kind != ElementKind.CONTAINER_ELEMENT && node.getName() != null && !node.getName().startsWith("<")) {
                out.append('/').append(node.getName());
            }
        }
        return out.isEmpty() ? "/" : out.toString();
    }
}
