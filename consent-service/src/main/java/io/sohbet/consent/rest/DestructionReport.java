package io.sohbet.consent.rest;

import io.sohbet.consent.service.ConsentRuleException;
import io.sohbet.consent.service.DestructionRecords.Destruction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The periodic destruction report's period and its CSV form (column names in Turkish, as the regulation's terms). */
public final class DestructionReport {

    static final String[] HEADER = {"İşlem Tarihi", "İşlemi Yapan", "Servis", "Veri Kümesi", "Kişisel Veri Kategorisi",
        "Kayıt Sayısı", "Yöntem", "Teknik", "Tetikleyen", "Hukuki Sebep", "Referans", "Denetim Kaydı", "Denetim Özeti"};

    private DestructionReport() {
    }

    /** The years a period may name: PostgreSQL's timestamps (and Java's offsets) end long before Instant's. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * An instant ({@code 2026-12-01T00:00:00Z}) or a date ({@code 2026-12-01}, its start in UTC) from year 1 to 9999;
     * null when absent.
     */
    static Instant instant(String value, String parameter) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant parsed;
        try {
            parsed = value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConsentRuleException("/" + parameter, "must be an ISO-8601 date (2026-12-01) or instant (2026-12-01T00:00:00Z)");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw new ConsentRuleException("/" + parameter, "must be between the years 1 and 9999");
        }
        return parsed;
    }

    static String csv(List<Destruction> records) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            for (Destruction d : records) {
                csv.printRecord(d.at(), d.actor(), d.service(), d.dataset(), d.category(), d.records(), d.method(),
                        d.technique(), d.trigger(), d.legalReason(), d.reference(), d.auditSeq(), d.hash());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
