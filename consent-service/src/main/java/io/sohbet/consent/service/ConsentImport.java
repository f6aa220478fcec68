package io.sohbet.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.rest.ConsentRequest;
import io.sohbet.events.InvalidPhoneNumberException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bulk import of consent records (CSV or a JSON array), each row checked like a single API call and recorded in its
 * own transaction, so one bad row never blocks the others. A row that the ledger already holds (same subject,
 * purpose, channel, state, source and capture time) is reported as a duplicate, so re-running an import is harmless.
 */
@ApplicationScoped
public class ConsentImport {

    /** The CSV columns, in any order; the header row is required. */
    public static final List<String> COLUMNS = List.of("phone", "purpose", "channel", "state", "source", "notice_id",
            "notice_version", "notice_sha256", "captured_at", "evidence_wamid", "evidence_ip", "evidence_user_agent");
    private static final Set<String> REQUIRED = Set.of("phone", "purpose", "state");

    private final ConsentLedger ledger;
    private final AuditLog audit;
    private final Validator validator;
    private final int maxRows;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public ConsentImport(ConsentLedger ledger, AuditLog audit, Validator validator, ConsentConfig config) {
        this.ledger = ledger;
        this.audit = audit;
        this.validator = validator;
        this.maxRows = config.maxImportRows();
    }

    /**
     * An imported row must say when the person made the choice: dated on arrival, a grant from an old system would
     * become the current choice and outrank a STOP written since.
     */
    static final String CAPTURED_AT_REQUIRED = "is required in an import: when the person made the choice (an entry "
            + "dated on arrival would outrank every choice made before the import)";

    /** The outcome of one row: recorded, duplicate or rejected (with the reasons). */
    public record RowResult(int row, String status, String subjectId, List<FieldError> errors) {
    }

    public record FieldError(String pointer, String detail) {
    }

    public record Report(int total, int recorded, int duplicates, int rejected, List<RowResult> rows) {
    }

    /** A row as read, before it is checked: the request, or why it could not be read. */
    record Parsed(int row, ConsentRequest request, List<FieldError> errors) {
    }

    public Uni<Report> importCsv(String body, String actor) {
        return run(parseCsv(body), actor);
    }

    public Uni<Report> importJson(String body, String actor) {
        return run(parseJson(body), actor);
    }

    List<Parsed> parseCsv(String body) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setAllowMissingColumnNames(false).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(body), format)) {
            List<String> header = parser.getHeaderNames();
            for (String column : header) {
                if (!COLUMNS.contains(column)) {
                    throw new ConsentRuleException("/", "unknown column '" + column + "'; the columns are " + COLUMNS);
                }
            }
            for (String column : REQUIRED) {
                if (!header.contains(column)) {
                    throw new ConsentRuleException("/", "the column '" + column + "' is required");
                }
            }
            List<Parsed> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                limit(rows.size() + 1);
                rows.add(fromCsv(rows.size() + 1, record));
            }
            return rows;
        } catch (IOException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new ConsentRuleException("/", "the CSV cannot be read: " + e.getMessage().replaceAll("\\s+", " "));
        }
    }

    private Parsed fromCsv(int row, CSVRecord r) {
        List<FieldError> errors = new ArrayList<>();
        Instant capturedAt = null;
        String captured = value(r, "captured_at");
        if (captured == null) {
            errors.add(new FieldError("/captured_at", CAPTURED_AT_REQUIRED));
        } else {
            try {
                capturedAt = Instant.parse(captured);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("/captured_at", "must be an ISO-8601 instant such as 2026-11-01T09:00:00Z"));
            }
        }
        String noticeId = value(r, "notice_id");
        String noticeVersion = value(r, "notice_version");
        String noticeSha = value(r, "notice_sha256");
        ConsentRequest.Notice notice = noticeId == null && noticeVersion == null && noticeSha == null ? null
                : new ConsentRequest.Notice(noticeId, noticeVersion, noticeSha);
        String wamid = value(r, "evidence_wamid");
        String ip = value(r, "evidence_ip");
        String agent = value(r, "evidence_user_agent");
        ConsentRequest.Evidence evidence = wamid == null && ip == null && agent == null ? null
                : new ConsentRequest.Evidence(wamid, ip, agent);
        String source = value(r, "source");
        return new Parsed(row, new ConsentRequest(value(r, "phone"), value(r, "purpose"), value(r, "channel"),
                value(r, "state"), source == null ? "import" : source, notice, capturedAt, evidence), errors);
    }

    private static String value(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value;
    }

    List<Parsed> parseJson(String body) {
        JsonNode array;
        try {
            array = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ConsentRuleException("/", "the body is not JSON");
        }
        if (array == null || !array.isArray()) {
            throw new ConsentRuleException("/", "must be a JSON array of consent records");
        }
        limit(array.size());
        List<Parsed> rows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                ConsentRequest request = json.treeToValue(array.get(i), ConsentRequest.class);
                if (request != null && request.source() == null) {
                    request = new ConsentRequest(request.phone(), request.purpose(), request.channel(), request.state(),
                            "import", request.notice(), request.capturedAt(), request.evidence());
                }
                rows.add(new Parsed(i + 1, request, request == null || request.capturedAt() != null ? List.of()
                        : List.of(new FieldError("/capturedAt", CAPTURED_AT_REQUIRED))));
            } catch (JsonProcessingException e) {
                String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()
                        ? "/" + mapping.getPath().get(mapping.getPath().size() - 1).getFieldName() : "/";
                rows.add(new Parsed(i + 1, null, List.of(new FieldError(field, "cannot be read as a consent record field"))));
            }
        }
        return rows;
    }

    private void limit(int rows) {
        if (rows > maxRows) {
            throw new ConsentRuleException("/", "an import holds at most " + maxRows + " rows; split the file");
        }
    }

    private Uni<Report> run(List<Parsed> rows, String actor) {
        return Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(row -> one(row, actor))
                .collect().asList()
                .flatMap(results -> {
                    int recorded = (int) results.stream().filter(r -> r.status().equals("recorded")).count();
                    int duplicates = (int) results.stream().filter(r -> r.status().equals("duplicate")).count();
                    Report report = new Report(results.size(), recorded, duplicates, results.size() - recorded - duplicates, results);
                    return Panache.withTransaction(() -> audit.append(actor, "consent.import", null, Map.of("rows",
                            report.total(), "recorded", recorded, "duplicates", duplicates, "rejected", report.rejected())))
                            .replaceWith(report);
                });
    }

    private Uni<RowResult> one(Parsed row, String actor) {
        List<FieldError> errors = new ArrayList<>(row.errors());
        if (row.request() == null) {
            return Uni.createFrom().item(new RowResult(row.row(), "rejected", null, errors));
        }
        ConsentRequest request = row.request();
        for (ConstraintViolation<ConsentRequest> v : validator.validate(request)) {
            errors.add(new FieldError("/" + v.getPropertyPath().toString().replace('.', '/'), v.getMessage()));
        }
        if ("granted".equals(request.state()) && request.notice() == null) {
            errors.add(new FieldError("/notice", "is required to grant consent: it is the proof of what was shown"));
        }
        String subject = null;
        if (request.phone() != null && errors.stream().noneMatch(e -> e.pointer().equals("/phone"))) {
            try {
                subject = ledger.subjectOf(request.phone());
            } catch (InvalidPhoneNumberException e) {
                errors.add(new FieldError("/phone", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparing(FieldError::pointer));
            return Uni.createFrom().item(new RowResult(row.row(), "rejected", subject, errors));
        }
        String id = subject;
        return Panache.withTransaction(() -> ledger.holds(id, request).flatMap(held -> held
                ? Uni.createFrom().item(new RowResult(row.row(), "duplicate", id, List.of()))
                : ledger.append(id, request, actor).replaceWith(new RowResult(row.row(), "recorded", id, List.of()))));
    }
}
