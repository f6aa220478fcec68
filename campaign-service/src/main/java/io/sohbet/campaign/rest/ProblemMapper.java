package io.sohbet.campaign.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.ForbiddenException;
import io.sohbet.campaign.service.Campaigns;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Maps this service's exceptions to problem+json responses. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(pointer(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::pointer)).toList();
        return Problem.response(400, "Invalid request", "the request is invalid", errors);
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return Problem.response(400, "Invalid request", "the request is invalid", e.errors());
    }

    @ServerExceptionMapper
    public Response conflict(Campaigns.Conflict e) {
        return Problem.response(409, "Conflict", e.getMessage(), null);
    }

    /** A body that is JSON but does not fit the model (wrong type, bad date, unknown enum value): where and what. */
    @ServerExceptionMapper
    public Response unreadable(JsonMappingException e) {
        String pointer = "/" + e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("/"));
        String detail = e instanceof InvalidFormatException f ? "cannot read the value " + f.getValue() + " as "
                + f.getTargetType().getSimpleName() : "has the wrong type or shape";
        return Problem.response(400, "Invalid request", "the body does not match the campaign model",
                List.of(new Problem.FieldError(pointer, detail)));
    }

    /** Quarkus has a built-in mapper for this subtype; ours answers problem+json with the pointer instead. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unparseable(JsonParseException e) {
        return Problem.response(400, "Invalid request", "the body is not JSON", null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.response(403, "Forbidden", "your role does not allow this", null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return Problem.response(status, known == null ? "Error" : known.getReasonPhrase(),
                status == 400 ? "the body cannot be read" : null, null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return Problem.response(500, "Internal error", "an unexpected error occurred; it has been logged", null);
    }

    /**
     * {@code create.definition.variants[0].message.type} → {@code /variants/0/message/type}; a query parameter
     * {@code list.status} → {@code /status}. The method name and the body parameter's name are not part of the body.
     */
    static String pointer(String path) {
        String[] parts = path.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            java.util.regex.Matcher m = ELEMENT.matcher(parts[i]);
            if (!m.matches() || (i == 1 && parts.length > 2 && BODY_PARAMETERS.contains(m.group(1)))) {
                continue;
            }
            String name = m.group(1);
            if (!name.startsWith("<") && !name.isEmpty() && !name.matches("arg\\d+")) {
                out.append('/').append(name);
            }
            if (m.group(2) != null && !m.group(2).isEmpty()) {
                out.append('/').append(m.group(2));
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static final java.util.regex.Pattern ELEMENT = java.util.regex.Pattern.compile("([^\\[]*)(?:\\[([^\\]]*)\\])?");
    private static final java.util.Set<String> BODY_PARAMETERS = java.util.Set.of("definition", "request");
}
