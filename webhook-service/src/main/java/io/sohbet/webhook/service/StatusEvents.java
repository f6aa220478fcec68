package io.sohbet.webhook.service;

import io.sohbet.events.CloudEvent;
import io.sohbet.events.CloudEventSerializer;
import io.sohbet.events.Topics;
import io.sohbet.events.payload.WaError;
import io.sohbet.events.payload.WaStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a {@code wa.status} CloudEvent straight to bytes: the very bytes {@link CloudEventSerializer#encode} writes
 * (same field order and null handling; a test compares them), without the object writer's property introspection per
 * field. Statuses are most of what webhook-service publishes (eight per delivery of a campaign), and writing them was
 * the largest part of ingesting one (docs/benchmarks.md).
 *
 * <p>Two ways, one result: when every text of the event is plain (printable ASCII without a quote or backslash, as
 * hashed ids, numbers' ids, status words, pricing and ISO times are) the bytes are copied in one pass into a buffer of
 * the thread; a text that needs JSON escaping or UTF-8 (an error's details, the business' callback data) sends the
 * event to {@link CloudEventSerializer#encode} itself, so escaping is always Jackson's own.
 */
final class StatusEvents {

    private static final String TYPE = Topics.eventType(Topics.WA_STATUS);

    private StatusEvents() {
    }

    /** The CloudEvent of {@code status}, as {@code CloudEventSerializer.encode(WA_STATUS, id, source, time, subject, status)}. */
    static byte[] encode(String id, String source, Instant time, String subject, WaStatus status) {
        byte[] plain = Plain.SCRATCH.get().event(id, source, time, subject, status);
        return plain != null ? plain : CloudEventSerializer.encode(Topics.WA_STATUS, id, source, time, subject, status);
    }

    /**
     * The event in one pass over plain texts, into a buffer kept per thread (the event loops'); {@code null} as soon as a
     * text is not plain. Its layout is the serializer's for {@link WaStatus} ({@code null}s left out), written out.
     */
    static final class Plain {

        static final ThreadLocal<Plain> SCRATCH = ThreadLocal.withInitial(Plain::new);

        private static final byte[] START = ascii("{\"specversion\":\"" + CloudEvent.SPEC_VERSION + "\"");
        private static final byte[] ID = ascii(",\"id\":\"");
        private static final byte[] TYPE_VALUE = ascii(",\"type\":\"" + TYPE + "\"");
        private static final byte[] SOURCE = ascii(",\"source\":\"");
        private static final byte[] OWN_SOURCE = ascii(",\"source\":\"" + EventDraft.SOURCE + "\"");
        private static final byte[] TIME = ascii(",\"time\":\"");
        private static final byte[] SUBJECT = ascii(",\"subject\":\"");
        private static final byte[] DATA = ascii(",\"data\":{");
        // the data's field names, each with its opening quote (the value's) where the value is a text
        private static final byte[] WAMID = ascii("\"wamid\":\"");
        private static final byte[] STATUS = ascii("\"status\":\"");
        private static final byte[] TIMESTAMP = ascii("\"timestamp\":\"");
        private static final byte[] PHONE_NUMBER_ID = ascii("\"businessPhoneNumberId\":\"");
        private static final byte[] RECIPIENT_TYPE = ascii("\"recipientType\":\"");
        private static final byte[] CONVERSATION_ID = ascii("\"conversationId\":\"");
        private static final byte[] CONVERSATION_ORIGIN = ascii("\"conversationOrigin\":\"");
        private static final byte[] PRICING_CATEGORY = ascii("\"pricingCategory\":\"");
        private static final byte[] PRICING_TYPE = ascii("\"pricingType\":\"");
        private static final byte[] PRICING_MODEL = ascii("\"pricingModel\":\"");
        private static final byte[] BILLABLE_TRUE = ascii("\"billable\":true");
        private static final byte[] BILLABLE_FALSE = ascii("\"billable\":false");
        private static final byte[] CALLBACK_DATA = ascii("\"bizOpaqueCallbackData\":\"");
        private static final byte[] ERRORS = ascii("\"errors\":[");
        private static final byte[] CODE = ascii("{\"code\":");
        private static final byte[] TITLE = ascii("\"title\":\"");
        private static final byte[] DETAILS = ascii("\"details\":\"");
        private static final byte[] HREF = ascii("\"href\":\"");
        private static final byte[] RECIPIENT_COUNTRY = ascii("\"recipientCountry\":\"");

        /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years Instant.toString writes with four digits, no sign. */
        private static final long FIRST_SECOND = -62_167_219_200L;
        private static final long LAST_SECOND = 253_402_300_799L;
        /** The largest buffer kept between events: 16 KB (a status event is ~500 bytes). */
        private static final int KEPT = 16 * 1024;

        private byte[] buffer = new byte[1024];
        private int length;
        /** Whether the object being written has no field yet. */
        private boolean first;

        byte[] event(String id, String source, Instant time, String subject, WaStatus s) {
            byte[] event = write(id, source, time, subject, s);
            // a buffer grown by a long text (also one that then went to Jackson) is not kept for the thread's life
            if (buffer.length > KEPT) {
                buffer = new byte[1024];
            }
            return event;
        }

        private byte[] write(String id, String source, Instant time, String subject, WaStatus s) {
            length = 0;
            put(START);
            if (id != null && !(put(ID) && text(id) && quote())) {
                return null;
            }
            put(TYPE_VALUE);
            if (source == EventDraft.SOURCE) {
                put(OWN_SOURCE); // every status this service writes: its bytes once, not per event
            } else if (source != null && !(put(SOURCE) && text(source) && quote())) {
                return null;
            }
            if (time != null) {
                put(TIME);
                instant(time);
                quote();
            }
            if (subject != null && !(put(SUBJECT) && text(subject) && quote())) {
                return null;
            }
            put(DATA);
            // every field of the data but its first opens with a comma: `first` says whether one was written
            first = true;
            if (!(field(WAMID, s.wamid()) && field(STATUS, s.status()))) {
                return null;
            }
            if (s.timestamp() != null) {
                name(TIMESTAMP);
                instant(s.timestamp());
                quote();
            }
            boolean plain = field(PHONE_NUMBER_ID, s.businessPhoneNumberId())
                    && field(RECIPIENT_TYPE, s.recipientType())
                    && field(CONVERSATION_ID, s.conversationId())
                    && field(CONVERSATION_ORIGIN, s.conversationOrigin())
                    && field(PRICING_CATEGORY, s.pricingCategory())
                    && field(PRICING_TYPE, s.pricingType())
                    && field(PRICING_MODEL, s.pricingModel())
                    && (s.billable() == null || name(s.billable() ? BILLABLE_TRUE : BILLABLE_FALSE))
                    && field(CALLBACK_DATA, s.bizOpaqueCallbackData())
                    && errors(s.errors())
                    && field(RECIPIENT_COUNTRY, s.recipientCountry());
            if (!plain) {
                return null;
            }
            ensure(2);
            buffer[length++] = '}';
            buffer[length++] = '}';
            return Arrays.copyOf(buffer, length);
        }

        private boolean errors(List<WaError> errors) {
            if (errors == null) {
                return true;
            }
            name(ERRORS);
            boolean firstError = true;
            for (WaError e : errors) {
                if (!firstError) {
                    ensure(1);
                    buffer[length++] = ',';
                }
                firstError = false;
                put(CODE);
                text(Integer.toString(e.code()));
                // the code is always there, so every other field of the error opens with a comma
                first = false;
                if (!(field(TITLE, e.title()) && field(DETAILS, e.details()) && field(HREF, e.href()))) {
                    return false;
                }
                ensure(1);
                buffer[length++] = '}';
            }
            ensure(1);
            buffer[length++] = ']';
            first = false;
            return true;
        }

        /** Nothing for {@code null}; else the field with its text in quotes, when the text is plain. */
        private boolean field(byte[] name, String value) {
            if (value == null) {
                return true;
            }
            name(name);
            return text(value) && quote();
        }

        /** The field's name (and what of its value is constant), after a comma unless it is the object's first. */
        private boolean name(byte[] name) {
            ensure(1 + name.length);
            if (!first) {
                buffer[length++] = ',';
            }
            first = false;
            return put(name);
        }

        /** The text's characters as bytes, when every one is printable ASCII other than a quote or a backslash. */
        private boolean text(String value) {
            int n = value.length();
            ensure(n);
            byte[] b = buffer;
            int at = length;
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                // printable ASCII (0x20 to 0x7e: one unsigned comparison), not a quote or a backslash
                if ((char) (c - 0x20) > 0x5e || c == '"' || c == '\\') {
                    return false;
                }
                b[at++] = (byte) c;
            }
            length = at;
            return true;
        }

        /** As {@link Instant#toString()} (ISO-8601, UTC): by hand for whole seconds of years 0 to 9999, else the JDK's. */
        private void instant(Instant time) {
            long seconds = time.getEpochSecond();
            if (time.getNano() != 0 || seconds < FIRST_SECOND || seconds > LAST_SECOND) {
                text(time.toString());
                return;
            }
            long day = Math.floorDiv(seconds, 86_400L);
            int second = (int) Math.floorMod(seconds, 86_400L);
            LocalDate date = LocalDate.ofEpochDay(day);
            ensure(20);
            digits(date.getYear(), 4);
            buffer[length++] = '-';
            digits(date.getMonthValue(), 2);
            buffer[length++] = '-';
            digits(date.getDayOfMonth(), 2);
            buffer[length++] = 'T';
            digits(second / 3600, 2);
            buffer[length++] = ':';
            digits(second / 60 % 60, 2);
            buffer[length++] = ':';
            digits(second % 60, 2);
            buffer[length++] = 'Z';
        }

        private void digits(int value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                buffer[length + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += width;
        }

        private boolean quote() {
            ensure(1);
            buffer[length++] = '"';
            return true;
        }

        private boolean put(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
            return true;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
