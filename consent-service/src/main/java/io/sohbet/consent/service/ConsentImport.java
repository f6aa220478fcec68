package io.sohbet.consent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.ConsentRecord;
import io.sohbet.consent.repository.Database;
import io.sohbet.consent.rest.ConsentRequest;
import io.sohbet.events.InvalidPhoneNumberException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bulk import of consent records (CSV or a JSON array), each row checked like a single API call, then recorded
 * {@code import-chunk-rows} rows per transaction; a chunk whose transaction fails is recorded again row by row, so one
 * bad row never blocks the others. A row that the ledger already holds (same subject,
 * purpose, channel, state, source and capture time) is reported as a duplicate, so re-running an import is harmless.
 */
@ApplicationScoped
public class ConsentImport {

    private static final Logger LOG = Logger.getLogger(ConsentImport.class);

    /** The CSV columns, in any order; the header row is required. */
    public static final List<String> COLUMNS = List.of("phone", "purpose", "channel", "state", "source", "notice_id",
            "notice_version", "notice_sha256", "captured_at", "evidence_wamid", "evidence_ip", "evidence_user_agent");
    private static final Set<String> REQUIRED = Set.of("phone", "purpose", "state");

    private final Database database;
    private final ConsentLedger ledger;
    private final KeyVault vault;
    private final AuditLog audit;
    private final Validator validator;
    private final int maxRows;
    private final int chunkRows;
    private final Counter rowByRow;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public ConsentImport(Database database, ConsentLedger ledger, KeyVault vault, AuditLog audit, Validator validator,
            ConsentConfig config, MeterRegistry registry) {
        this.database = database;
        this.ledger = ledger;
        this.vault = vault;
        this.audit = audit;
        this.validator = validator;
        this.maxRows = config.maxImportRows();
        this.chunkRows = Math.max(1, config.importChunkRows());
        this.rowByRow = Counter.builder("sohbet.consent.import.chunks.row.by.row").description("Import chunks whose transaction "
                + "failed as a whole and whose rows were recorded again one by one").register(registry);
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

    /** A row as read, before it is checked: the request, or why it could not be read; {@code csv}: from a CSV file. */
    record Parsed(int row, ConsentRequest request, List<FieldError> errors, boolean csv) {

        Parsed(int row, ConsentRequest request, List<FieldError> errors) {
            this(row, request, errors, false);
        }

        /** The capture time's pointer as the file names it. */
        String pointerOfCapturedAt() {
            return csv ? "/captured_at" : "/capturedAt";
        }
    }

    /** The earliest capture time an import takes (1970-01-01). */
    static final Instant EARLIEST_CAPTURE = Instant.EPOCH;

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
                value(r, "state"), source == null ? "import" : source, notice, capturedAt, evidence), errors, true);
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
        RowResult[] results = new RowResult[rows.size()];
        List<Valid> valid = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Checked checked = check(rows.get(i));
            if (checked.rejected() != null) {
                results[i] = checked.rejected();
            } else {
                valid.add(new Valid(i, rows.get(i).row(), checked.subject(), checked.request()));
            }
        }
        List<List<Valid>> chunks = new ArrayList<>();
        for (int from = 0; from < valid.size(); from += chunkRows) {
            chunks.add(valid.subList(from, Math.min(valid.size(), from + chunkRows)));
        }
        return Multi.createFrom().iterable(chunks).onItem().transformToUniAndConcatenate(chunk -> chunk(chunk, actor))
                .collect().asList()
                .flatMap(recorded -> {
                    for (List<Map.Entry<Integer, RowResult>> chunk : recorded) {
                        chunk.forEach(e -> results[e.getKey()] = e.getValue());
                    }
                    List<RowResult> all = List.of(results);
                    int recordedRows = (int) all.stream().filter(r -> r.status().equals("recorded")).count();
                    int duplicates = (int) all.stream().filter(r -> r.status().equals("duplicate")).count();
                    Report report = new Report(all.size(), recordedRows, duplicates, all.size() - recordedRows - duplicates, all);
                    return database.inTransaction(() -> audit.append(actor, "consent.import", null, Map.of("rows",
                            report.total(), "recorded", recordedRows, "duplicates", duplicates, "rejected", report.rejected())))
                            .replaceWith(report);
                });
    }

    /** A row that passed every check, to be recorded: its index in the file's rows, its row number, subject and request. */
    private record Valid(int index, int row, String subject, ConsentRequest request) {
    }

    /**
     * Records a chunk of checked rows in one transaction (a commit per row made a 10,000-row import take minutes). The
     * chunk first takes the erasure lock of every subject in it, in the lock keys' order as every caller that takes
     * several does, so that it never waits in a circle with another batch, then reads or creates their data keys in one
     * statement. Should the transaction fail (a row breaking a rule only the database sees, a deadlock), the chunk is
     * recorded again row by row, each in a transaction of its own, so one bad row never blocks the others.
     */
    private Uni<List<Map.Entry<Integer, RowResult>>> chunk(List<Valid> chunk, String actor) {
        String[] locks = chunk.stream().map(v -> ErasureLock.PREFIX + v.subject()).distinct().toArray(String[]::new);
        return database.inTransaction(() -> database.count("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(h) "
                        + "FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest(CAST($1 AS text[])) AS s ORDER BY h) AS ordered) "
                        + "AS locked", (Object) locks)
                        // every subject's key at once, under their locks (on another connection, which takes none)
                        .chain(() -> vault.getOrCreate(chunk.stream().map(Valid::subject).collect(Collectors.toSet())))
                        .chain(keys -> Multi.createFrom().iterable(chunk).onItem()
                                .transformToUniAndConcatenate(v -> record(v, actor, keys, false)).collect().asList())
                        // the audit entries of the chunk at its end (one batch of inserts): the audit chain's lock (which
                        // every audited read of consent-service waits for) is held from here to the commit, not for the
                        // whole chunk
                        .call(outcomes -> ledger.auditedAll(outcomes.stream().map(Outcome::entry).filter(java.util.Objects::nonNull)
                                .toList(), actor))
                        .map(outcomes -> outcomes.stream().map(Outcome::row).toList()))
                .onFailure().recoverWithUni(failure -> {
                    rowByRow.increment();
                    LOG.warnf("an import chunk of %d rows failed as a whole (%s); recording its rows one by one", chunk.size(),
                            failure.getClass().getSimpleName());
                    return Multi.createFrom().iterable(chunk).onItem()
                            .transformToUniAndConcatenate(v -> database.inTransaction(() -> record(v, actor, Map.of(), true).map(Outcome::row))
                                    // this row alone fails: reported, and the rows after it are still recorded
                                    .onFailure().recoverWithItem(f -> Map.entry(v.index(), new RowResult(v.row(), "rejected",
                                            v.subject(), List.of(new FieldError("/", "could not be recorded (" + f.getClass().getSimpleName()
                                                    // its subject's data key, made for the whole chunk, stays: a key
                                                    // holds nothing of the row, and the webhook may already use it
                                                    + "); no consent entry of this row was kept, import it again once corrected"))))))
                            .collect().asList();
                });
    }

    /** A row's result by its index in the file, and the ledger entry it made (null: none, a duplicate). */
    private record Outcome(Map.Entry<Integer, RowResult> row, ConsentRecord entry) {
    }

    /** Records a row; {@code audit}: with its audit entry, else the caller audits {@link Outcome#entry} later. */
    private Uni<Outcome> record(Valid v, String actor, Map<String, byte[]> keys, boolean audit) {
        return ledger.holds(v.subject(), v.request()).flatMap(held -> held
                ? Uni.createFrom().item(new Outcome(Map.entry(v.index(), new RowResult(v.row(), "duplicate", v.subject(), List.of())), null))
                : ledger.append(v.subject(), v.request(), actor, keys, audit).map(entry -> new Outcome(Map.entry(v.index(),
                        new RowResult(v.row(), "recorded", v.subject(), List.of())), entry)));
    }

    /** A row checked: rejected (with the reasons), or its subject and request. */
    private record Checked(RowResult rejected, String subject, ConsentRequest request) {
    }

    /** Checks a row like a single API call, without the database. */
    private Checked check(Parsed row) {
        List<FieldError> errors = new ArrayList<>(row.errors());
        if (row.request() == null) {
            return new Checked(new RowResult(row.row(), "rejected", null, errors), null, null);
        }
        ConsentRequest request = row.request();
        for (ConstraintViolation<ConsentRequest> v : validator.validate(request)) {
            errors.add(new FieldError("/" + v.getPropertyPath().toString().replace('.', '/'), v.getMessage()));
        }
        if ("granted".equals(request.state()) && request.notice() == null) {
            errors.add(new FieldError("/notice", "is required to grant consent: it is the proof of what was shown"));
        }
        // PostgreSQL cannot store U+0000: refused here, as the REST layer refuses it, not by the database mid-import
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("/phone", request.phone());
        fields.put("/purpose", request.purpose());
        fields.put("/channel", request.channel());
        fields.put("/state", request.state());
        fields.put("/source", request.source());
        if (request.notice() != null) {
            fields.put("/notice/id", request.notice().id());
            fields.put("/notice/version", request.notice().version());
            fields.put("/notice/sha256", request.notice().sha256());
        }
        if (request.evidence() != null) {
            fields.put("/evidence/wamid", request.evidence().wamid());
            fields.put("/evidence/ip", request.evidence().ip());
            fields.put("/evidence/userAgent", request.evidence().userAgent());
        }
        fields.forEach((pointer, value) -> {
            if (value != null && value.indexOf('\u0000') >= 0) {
                errors.add(new FieldError(pointer, "must not contain the NUL character (U+0000)"));
            }
        });
        // PostgreSQL's timestamps end at 4713 BC; a choice made before consent law existed is a typing error
        if (request.capturedAt() != null && request.capturedAt().isBefore(EARLIEST_CAPTURE)) {
            errors.add(new FieldError(row.pointerOfCapturedAt(), "must be after " + EARLIEST_CAPTURE));
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
            return new Checked(new RowResult(row.row(), "rejected", subject, errors), subject, null);
        }
        return new Checked(null, subject, request);
    }
}
