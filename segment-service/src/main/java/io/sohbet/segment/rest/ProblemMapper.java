package io.sohbet.segment.rest;

import io.quarkus.security.ForbiddenException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;

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
    public Response invalidRule(io.sohbet.segment.service.InvalidRuleException e) {
        return Problem.response(400, "Invalid request", "the rule is invalid", e.errors().stream()
                .map(x -> new Problem.FieldError(x.pointer().startsWith("/rule") ? x.pointer() : "/rule" + x.pointer(), x.detail())).toList());
    }

    /** A body that is JSON but does not fit the model (wrong type, NUL character, bad date): where and what. */
    @ServerExceptionMapper
    public Response unreadable(com.fasterxml.jackson.databind.JsonMappingException e) {
        String pointer = "/" + e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(java.util.stream.Collectors.joining("/"));
        return Problem.response(400, "Invalid request", "the body does not match the expected model",
                List.of(new Problem.FieldError(pointer, e.getOriginalMessage())));
    }

    /** Quarkus has a built-in mapper for this subtype; ours answers problem+json with the pointer instead. */
    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unparseable(com.fasterxml.jackson.core.JsonProcessingException e) {
        return Problem.response(400, "Invalid request", "the body is not acceptable JSON", null);
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

    /** {@code export.subjectId} → {@code /subjectId}. */
    static String pointer(String path) {
        String[] parts = path.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].replaceAll("\\[.*", "");
            if (!part.startsWith("<") && !part.isEmpty() && !part.startsWith("arg")) {
                out.append('/').append(part);
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
