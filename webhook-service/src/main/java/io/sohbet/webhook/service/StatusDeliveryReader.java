package io.sohbet.webhook.service;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a delivery that holds statuses and nothing else (most of the traffic: a campaign's sent, delivered and read)
 * in one pass over the bytes, without building a tree: every {@code entry[]}, every {@code changes[]} of field
 * {@code messages}, every {@code statuses[]} item, as {@link StatusItem}s. Whatever it is not sure to read as
 * {@link WhatsAppWebhookReader} reads the tree gives {@code null}, and the delivery goes the whole way (tree, reader,
 * its error answers): another {@code object}, another field, {@code messages}, {@code contacts} or {@code errors} in a
 * value, a status with errors, a BSUID or a group participant, a value of an unexpected type, a key given twice.
 * Unknown keys are skipped, as the tree reader ignores them.
 *
 * <p>The bytes are read by hand, not by Jackson's parser (its field-name table, token state and text buffers were
 * the largest part of reading a delivery, docs/benchmarks.md), so this reader is never more lenient than
 * {@link WebhookJson}'s parser, only stricter: RFC 8259 JSON in UTF-8 exactly (no byte-order mark, comments, leading
 * zeros, trailing commas, unescaped control characters, other escapes); a malformed UTF-8 sequence, a key with an escape
 * or a non-ASCII character, a key longer than 1,000 bytes, a number longer than 100 characters, a text longer than
 * 1,000,000, nesting deeper than 32 (Jackson's limits: 50,000, 1,000, 20,000,000 and 64) all step aside to the tree, which then decides. Strings decode as Jackson
 * decodes them ({@code \\u} escapes one UTF-16 unit each, lone surrogates kept).
 */
public final class StatusDeliveryReader {

    private static final int MAX_DEPTH = 32;
    private static final int MAX_NAME = 1_000;
    private static final int MAX_NUMBER = 100;
    /** Jackson's limit is 20,000,000 characters; a body this service accepts (4 MB by default) stays under either. */
    private static final int MAX_TEXT = 1_000_000;

    private static final byte[] OBJECT = ascii("object");
    private static final byte[] ENTRY = ascii("entry");
    private static final byte[] ID = ascii("id");
    private static final byte[] CHANGES = ascii("changes");
    private static final byte[] FIELD = ascii("field");
    private static final byte[] VALUE = ascii("value");
    private static final byte[] METADATA = ascii("metadata");
    private static final byte[] PHONE_NUMBER_ID = ascii("phone_number_id");
    private static final byte[] STATUSES = ascii("statuses");
    private static final byte[] MESSAGES = ascii("messages");
    private static final byte[] CONTACTS = ascii("contacts");
    private static final byte[] ERRORS = ascii("errors");
    private static final byte[] STATUS = ascii("status");
    private static final byte[] TIMESTAMP = ascii("timestamp");
    private static final byte[] RECIPIENT_TYPE = ascii("recipient_type");
    private static final byte[] RECIPIENT_ID = ascii("recipient_id");
    private static final byte[] CALLBACK_DATA = ascii("biz_opaque_callback_data");
    private static final byte[] CONVERSATION = ascii("conversation");
    private static final byte[] ORIGIN = ascii("origin");
    private static final byte[] TYPE = ascii("type");
    private static final byte[] PRICING = ascii("pricing");
    private static final byte[] CATEGORY = ascii("category");
    private static final byte[] PRICING_MODEL = ascii("pricing_model");
    private static final byte[] BILLABLE = ascii("billable");
    /** A BSUID, a group's participant, errors: the tree reader's way. */
    private static final List<byte[]> UNFIT_IN_STATUS = List.of(ascii("recipient_user_id"), ascii("recipient_participant_id"),
            ascii("recipient_participant_user_id"), ERRORS);
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    /** By byte: whether it stands for itself inside a string (printable ASCII and DEL, not a quote or a backslash). */
    private static final boolean[] PLAIN = new boolean[256];
    /** By byte: JSON's whitespace. */
    private static final boolean[] WHITESPACE = new boolean[256];

    static {
        for (int b = 0x20; b < 0x80; b++) {
            PLAIN[b] = b != '"' && b != '\\';
        }
        for (char c : new char[] {' ', '\t', '\n', '\r'}) {
            WHITESPACE[c] = true;
        }
    }

    /** A status with what its change and entry say about it. */
    public record Item(StatusItem status, String phoneNumberId, String wabaId) {
    }

    /** Not a delivery of statuses only, or not one this reader is sure to read right: the tree decides. */
    private static final class Unfit extends RuntimeException {
        private static final Unfit INSTANCE = new Unfit();

        private Unfit() {
            super(null, null, false, false);
        }
    }

    private final byte[] in;
    /** For the UTF-8 in texts (rare in statuses): made at the first, strict. */
    private CharsetDecoder utf8;
    private int at;
    private int depth;
    /** The last key read: {@code in[keyStart, keyEnd)}, plain ASCII. */
    private int keyStart;
    private int keyEnd;

    private StatusDeliveryReader(byte[] in) {
        this.in = in;
    }

    /** The statuses of {@code body} in document order, or {@code null} when it is not (sure to be) a delivery of only them. */
    public static List<Item> read(byte[] body) {
        try {
            StatusDeliveryReader reader = new StatusDeliveryReader(body);
            List<Item> items = reader.root();
            reader.whitespace();
            return reader.at == body.length ? items : null;
        } catch (RuntimeException unfit) {
            return null; // not valid JSON, beyond the limits, or unfit: the tree decides and answers
        }
    }

    private List<Item> root() {
        open('{');
        List<Item> items = new ArrayList<>(8);
        int seen = 0;
        boolean object = false;
        for (boolean first = true; nextKey(first); first = false) {
            if (key(OBJECT)) {
                seen = once(seen, 1);
                object = WhatsAppWebhookReader.OBJECT.equals(text());
            } else if (key(ENTRY)) {
                seen = once(seen, 2);
                open('[');
                for (boolean e = true; nextElement(e); e = false) {
                    entry(items);
                }
            } else {
                skipValue();
            }
        }
        if (!object) {
            throw Unfit.INSTANCE;
        }
        return items;
    }

    private void entry(List<Item> items) {
        open('{');
        List<Pending> statuses = new ArrayList<>(8);
        String wabaId = null;
        int seen = 0;
        for (boolean first = true; nextKey(first); first = false) {
            if (key(ID)) {
                seen = once(seen, 1);
                wabaId = text();
            } else if (key(CHANGES)) {
                seen = once(seen, 2);
                open('[');
                for (boolean c = true; nextElement(c); c = false) {
                    change(statuses);
                }
            } else {
                skipValue();
            }
        }
        for (Pending status : statuses) {
            items.add(new Item(status.status, status.phoneNumberId, wabaId));
        }
    }

    private record Pending(StatusItem status, String phoneNumberId) {
    }

    private void change(List<Pending> entry) {
        open('{');
        List<StatusItem> statuses = List.of();
        String phoneNumberId = null;
        String field = null;
        int seen = 0;
        for (boolean first = true; nextKey(first); first = false) {
            if (key(FIELD)) {
                seen = once(seen, 1);
                field = text();
            } else if (key(VALUE)) {
                seen = once(seen, 2);
                statuses = new ArrayList<>(8);
                phoneNumberId = value(statuses);
            } else {
                skipValue();
            }
        }
        if (!"messages".equals(field)) {
            throw Unfit.INSTANCE;
        }
        for (StatusItem status : statuses) {
            entry.add(new Pending(status, phoneNumberId));
        }
    }

    /** Reads a change's value into {@code statuses}; its {@code metadata.phone_number_id}. */
    private String value(List<StatusItem> statuses) {
        open('{');
        String phoneNumberId = null;
        int seen = 0;
        for (boolean first = true; nextKey(first); first = false) {
            if (key(METADATA)) {
                seen = once(seen, 1);
                open('{');
                int inner = 0;
                for (boolean m = true; nextKey(m); m = false) {
                    if (key(PHONE_NUMBER_ID)) {
                        inner = once(inner, 1);
                        phoneNumberId = text();
                    } else {
                        skipValue();
                    }
                }
            } else if (key(STATUSES)) {
                seen = once(seen, 2);
                open('[');
                for (boolean s = true; nextElement(s); s = false) {
                    statuses.add(status());
                }
            } else if (key(MESSAGES) || key(CONTACTS) || key(ERRORS)) {
                throw Unfit.INSTANCE;
            } else {
                skipValue();
            }
        }
        return phoneNumberId;
    }

    private StatusItem status() {
        open('{');
        String id = null;
        String status = null;
        String timestamp = null;
        String recipientType = null;
        String recipientId = null;
        String conversationId = null;
        String origin = null;
        String category = null;
        String type = null;
        String model = null;
        Boolean billable = null;
        String opaque = null;
        int seen = 0;
        for (boolean first = true; nextKey(first); first = false) {
            if (key(ID)) {
                seen = once(seen, 1);
                id = text();
            } else if (key(STATUS)) {
                seen = once(seen, 1 << 1);
                status = text();
            } else if (key(TIMESTAMP)) {
                seen = once(seen, 1 << 2);
                // Meta sends a string, sometimes a number: an integer's text parses as the tree's (epochSeconds)
                timestamp = integerOrText();
            } else if (key(RECIPIENT_TYPE)) {
                seen = once(seen, 1 << 3);
                recipientType = text();
            } else if (key(RECIPIENT_ID)) {
                seen = once(seen, 1 << 4);
                recipientId = text();
            } else if (key(CALLBACK_DATA)) {
                seen = once(seen, 1 << 5);
                opaque = text();
            } else if (key(CONVERSATION)) {
                seen = once(seen, 1 << 6);
                open('{');
                int inner = 0;
                for (boolean c = true; nextKey(c); c = false) {
                    if (key(ID)) {
                        inner = once(inner, 1);
                        conversationId = text();
                    } else if (key(ORIGIN)) {
                        inner = once(inner, 2);
                        origin = originType();
                    } else {
                        skipValue();
                    }
                }
            } else if (key(PRICING)) {
                seen = once(seen, 1 << 7);
                open('{');
                int inner = 0;
                for (boolean p = true; nextKey(p); p = false) {
                    if (key(CATEGORY)) {
                        inner = once(inner, 1);
                        category = text();
                    } else if (key(TYPE)) {
                        inner = once(inner, 2);
                        type = text();
                    } else if (key(PRICING_MODEL)) {
                        inner = once(inner, 4);
                        model = text();
                    } else if (key(BILLABLE)) {
                        inner = once(inner, 8);
                        billable = bool();
                    } else {
                        skipValue();
                    }
                }
            } else if (unfitInStatus()) {
                throw Unfit.INSTANCE;
            } else {
                skipValue();
            }
        }
        return new StatusItem(id, status, timestamp, recipientType, recipientId, null, null, null, conversationId, origin,
                category, type, model, billable, opaque, List.of());
    }

    private boolean unfitInStatus() {
        for (byte[] name : UNFIT_IN_STATUS) {
            if (key(name)) {
                return true;
            }
        }
        return false;
    }

    private String originType() {
        open('{');
        String type = null;
        int seen = 0;
        for (boolean first = true; nextKey(first); first = false) {
            if (key(TYPE)) {
                seen = once(seen, 1);
                type = text();
            } else {
                skipValue();
            }
        }
        return type;
    }

    // ---- values as the tree reader takes them ----

    /** A text as {@link Json#text} reads it from the tree: a string ({@code ""} is none) or {@code null}; else unfit. */
    private String text() {
        whitespace();
        byte b = peek();
        if (b == '"') {
            String text = string(true);
            return text.isEmpty() ? null : text;
        }
        if (b == 'n') {
            literal(NULL);
            return null;
        }
        throw Unfit.INSTANCE;
    }

    /** An integer's digits as written (Jackson's text of an int), else {@link #text()}. */
    private String integerOrText() {
        whitespace();
        byte b = peek();
        if (b == '-' || b >= '0' && b <= '9') {
            int start = at;
            if (number()) {
                throw Unfit.INSTANCE; // a fraction or an exponent: not the tree's text either
            }
            return new String(in, start, at - start, StandardCharsets.ISO_8859_1);
        }
        return text();
    }

    /** {@code pricing.billable} as the tree's {@code asBoolean()}: true, false, and null as false; else unfit. */
    private Boolean bool() {
        whitespace();
        switch (peek()) {
            case 't' -> {
                literal(TRUE);
                return Boolean.TRUE;
            }
            case 'f' -> {
                literal(FALSE);
                return Boolean.FALSE;
            }
            case 'n' -> {
                literal(NULL);
                return Boolean.FALSE;
            }
            default -> throw Unfit.INSTANCE;
        }
    }

    // ---- the JSON grammar (RFC 8259), strictly ----

    private void open(char bracket) {
        whitespace();
        if (peek() != bracket) {
            throw Unfit.INSTANCE;
        }
        at++;
        if (++depth > MAX_DEPTH) {
            throw Unfit.INSTANCE;
        }
    }

    /**
     * Moves to the next key of the object being read, the key in {@link #keyStart}…{@link #keyEnd} and the position at
     * its value; {@code false} (the closing brace read) when there is none.
     */
    private boolean nextKey(boolean first) {
        whitespace();
        byte b = peek();
        if (b == '}') {
            at++;
            depth--;
            return false;
        }
        if (!first) {
            if (b != ',') {
                throw Unfit.INSTANCE;
            }
            at++;
            whitespace();
        }
        if (peek() != '"') {
            throw Unfit.INSTANCE;
        }
        int start = ++at;
        byte[] bytes = in;
        int i = start;
        int end = Math.min(bytes.length, start + MAX_NAME + 1);
        // a key of printable ASCII without escapes; anything else steps aside (Jackson would decode it)
        while (i < end && PLAIN[bytes[i] & 0xFF]) {
            i++;
        }
        if (i == end || bytes[i] != '"' || i - start > MAX_NAME) {
            throw Unfit.INSTANCE;
        }
        keyStart = start;
        keyEnd = i;
        at = i + 1;
        whitespace();
        if (peek() != ':') {
            throw Unfit.INSTANCE;
        }
        at++;
        return true;
    }

    /** Moves to the next element of the array being read; {@code false} (the closing bracket read) when there is none. */
    private boolean nextElement(boolean first) {
        whitespace();
        if (peek() == ']') {
            at++;
            depth--;
            return false;
        }
        if (!first) {
            if (peek() != ',') {
                throw Unfit.INSTANCE;
            }
            at++;
        }
        return true;
    }

    private boolean key(byte[] name) {
        int n = name.length;
        if (keyEnd - keyStart != n) {
            return false;
        }
        // by hand: keys are short, Arrays.equals' range checks and call cost more than the comparison
        for (int i = 0; i < n; i++) {
            if (in[keyStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void skipValue() {
        whitespace();
        switch (peek()) {
            case '{' -> {
                open('{');
                for (boolean first = true; nextKey(first); first = false) {
                    skipValue();
                }
            }
            case '[' -> {
                open('[');
                for (boolean first = true; nextElement(first); first = false) {
                    skipValue();
                }
            }
            case '"' -> string(false);
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> number();
        }
    }

    private void literal(byte[] word) {
        if (!Arrays.equals(in, at, Math.min(in.length, at + word.length), word, 0, word.length)) {
            throw Unfit.INSTANCE;
        }
        at += word.length; // what follows must be a separator: the caller's next step checks
    }

    /** Skips {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}; whether it had a fraction or an exponent. */
    private boolean number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (digits() == 0) {
            throw Unfit.INSTANCE;
        }
        boolean real = false;
        if (at < in.length && in[at] == '.') {
            at++;
            real = true;
            if (digits() == 0) {
                throw Unfit.INSTANCE;
            }
        }
        if (at < in.length && (in[at] == 'e' || in[at] == 'E')) {
            at++;
            real = true;
            if (at < in.length && (in[at] == '+' || in[at] == '-')) {
                at++;
            }
            if (digits() == 0) {
                throw Unfit.INSTANCE;
            }
        }
        if (at - start > MAX_NUMBER) {
            throw Unfit.INSTANCE;
        }
        return real;
    }

    private int digits() {
        int start = at;
        while (at < in.length && in[at] >= '0' && in[at] <= '9') {
            at++;
        }
        return at - start;
    }

    /**
     * A string at {@link #at} (its opening quote), decoded when {@code keep}; else only checked. Printable ASCII without
     * escapes is copied as it is (most texts); escapes and UTF-8 take the slow way.
     */
    private String string(boolean keep) {
        int start = ++at;
        byte[] bytes = in;
        int i = start;
        while (i < bytes.length && PLAIN[bytes[i] & 0xFF]) {
            i++;
        }
        if (i - start > MAX_TEXT) {
            throw Unfit.INSTANCE;
        }
        if (i < bytes.length && bytes[i] == '"') {
            at = i + 1;
            return keep ? new String(bytes, start, i - start, StandardCharsets.ISO_8859_1) : null;
        }
        at = start;
        return decoded();
    }

    /** A string with escapes or UTF-8 from {@link #at} (after its opening quote), as Jackson decodes it. */
    private String decoded() {
        StringBuilder text = new StringBuilder();
        while (true) {
            if (text.length() > MAX_TEXT) {
                throw Unfit.INSTANCE;
            }
            byte b = peek();
            if (b == '"') {
                at++;
                return text.toString();
            }
            if (b == '\\') {
                at++;
                escape(text);
            } else if (b >= 0x20) {
                text.append((char) b);
                at++;
            } else if (b >= 0) {
                throw Unfit.INSTANCE; // a control character unescaped
            } else {
                int start = at;
                while (at < in.length && in[at] < 0) {
                    at++;
                }
                if (utf8 == null) {
                    // strictly (Jackson lets some malformed sequences through: then the tree decides)
                    utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
                }
                try {
                    text.append(utf8.decode(ByteBuffer.wrap(in, start, at - start)));
                } catch (CharacterCodingException e) {
                    throw Unfit.INSTANCE;
                }
            }
        }
    }

    private void escape(StringBuilder text) {
        byte b = peek();
        at++;
        switch (b) {
            case '"', '\\', '/' -> text.append((char) b);
            case 'b' -> text.append('\b');
            case 'f' -> text.append('\f');
            case 'n' -> text.append('\n');
            case 'r' -> text.append('\r');
            case 't' -> text.append('\t');
            case 'u' -> {
                int unit = 0;
                for (int k = 0; k < 4; k++) {
                    int digit = Character.digit(peek(), 16);
                    if (digit < 0) {
                        throw Unfit.INSTANCE;
                    }
                    unit = unit << 4 | digit;
                    at++;
                }
                text.append((char) unit); // one UTF-16 unit, a lone surrogate kept, as Jackson does
            }
            default -> throw Unfit.INSTANCE;
        }
    }

    private void whitespace() {
        byte[] bytes = in;
        int i = at;
        while (i < bytes.length && WHITESPACE[bytes[i] & 0xFF]) {
            i++;
        }
        at = i;
    }

    private byte peek() {
        if (at >= in.length) {
            throw Unfit.INSTANCE;
        }
        return in[at];
    }

    /** A key given twice (the tree keeps the last one): unfit. */
    private static int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw Unfit.INSTANCE;
        }
        return seen | bit;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
