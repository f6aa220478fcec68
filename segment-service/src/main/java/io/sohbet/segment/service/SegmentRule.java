package io.sohbet.segment.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The segment rule language, as JSON: {@code {"all": [...]}}, {@code {"any": [...]}}, {@code {"not": {...}}},
 * conditions {@code {"attr": "orders30d", "op": ">=", "value": 3}} and {@code {"inSegment": "vip"}}. Operators:
 * =, !=, <, <=, >, >=, between [low, high], in [...], contains, exists; for times also within / notWithin a relative
 * duration ("30d", "12h", "2w" or ISO-8601 "P30D") and before / after an instant. A rule is validated as a whole and
 * every problem is reported with a JSON pointer to its node; a valid rule compiles to a {@link Condition}.
 */
public final class SegmentRule {

    /** A compiled rule: does the profile, at {@code now}, with these other memberships, belong? */
    @FunctionalInterface
    public interface Condition {
        boolean test(ProfileFacts profile, Instant now, Set<String> memberOf);
    }

    enum Type { NUMBER, TEXT, TIME }

    record Attribute(Type type, Function<ProfileFacts, Object> read, boolean needsNow) {
    }

    private static final Map<String, Attribute> ATTRIBUTES = Map.ofEntries(
            number("interactions7d", p -> p.interactions7d()), number("interactions30d", p -> p.interactions30d()),
            number("interactions90d", p -> p.interactions90d()), number("interactionsTotal", p -> p.interactionsTotal()),
            number("orders30d", p -> p.orders30d()), number("ordersTotal", p -> p.ordersTotal()),
            number("revenue30d", ProfileFacts::revenue30d), number("revenueTotal", ProfileFacts::revenueTotal),
            number("lifetimeValue", ProfileFacts::revenueTotal), number("averageBasket", ProfileFacts::averageBasket),
            number("averageBasket30d", ProfileFacts::averageBasket30d),
            number("visualShare", p -> p.share("visual")), number("textShare", p -> p.share("text")),
            number("quickShare", p -> p.share("quick")), number("engagements90d", p -> p.visual90d() + p.text90d() + p.quick90d()),
            number("rfmRecency", ProfileFacts::rfmRecency), number("rfmFrequency", ProfileFacts::rfmFrequency),
            number("rfmMonetary", ProfileFacts::rfmMonetary), number("rfmScore", ProfileFacts::rfmScore),
            Map.entry("firstSeenAt", new Attribute(Type.TIME, ProfileFacts::firstSeenAt, false)),
            Map.entry("lastSeenAt", new Attribute(Type.TIME, ProfileFacts::lastSeenAt, false)),
            Map.entry("lastActivityAt", new Attribute(Type.TIME, ProfileFacts::lastActivityAt, false)),
            Map.entry("lastOrderAt", new Attribute(Type.TIME, ProfileFacts::lastOrderAt, false)),
            Map.entry("topCategory", new Attribute(Type.TEXT, ProfileFacts::topCategory, false)),
            Map.entry("contentPreference", new Attribute(Type.TEXT, ProfileFacts::contentPreference, false)),
            Map.entry("gender", new Attribute(Type.TEXT, ProfileFacts::gender, false)),
            Map.entry("ageBand", new Attribute(Type.TEXT, ProfileFacts::ageBand, false)),
            Map.entry("city", new Attribute(Type.TEXT, ProfileFacts::city, false)),
            number("age", ProfileFacts::age));

    private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d{1,6})([hdw])$");

    /** The longest duration a rule may name (within / notWithin): 100 years of 365 days. */
    public static final Duration LONGEST = Duration.ofDays(36_500);

    /** The largest magnitude of a number in a rule: more than any count or TRY amount a profile holds. */
    public static final BigDecimal LARGEST = new BigDecimal("1000000000000");

    /** The most values an {@code in} list may hold, the longest text value, the most nodes in one rule. */
    public static final int MOST_VALUES = 1000;
    public static final int LONGEST_TEXT = 200;
    public static final int MOST_NODES = 500;

    /** The earliest and latest instants before / after may name. */
    static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    private SegmentRule() {
    }

    /** The attribute names a rule may use. */
    public static Set<String> attributes() {
        return ATTRIBUTES.keySet();
    }

    /**
     * Validates and compiles a rule. {@code knownSegments} are the segment ids {@code inSegment} may name; the ids
     * it does name are added to {@code referenced}.
     */
    public static Condition compile(JsonNode rule, Set<String> knownSegments, Set<String> referenced) {
        List<InvalidRuleException.Error> errors = new ArrayList<>();
        int[] nodes = {0};
        Condition condition = node(rule, "", knownSegments, referenced, errors, 0, nodes);
        if (nodes[0] > MOST_NODES) {
            errors.add(new InvalidRuleException.Error("/", "a rule has at most " + MOST_NODES + " nodes (it has " + nodes[0] + ")"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
        return condition;
    }

    /** The attributes that tell a person's age: a rule may name them once, counting the segments it refers to. */
    static final Set<String> AGE_ATTRIBUTES = Set.of("age", "ageBand");

    /**
     * The JSON pointers of {@code rule}'s conditions on age ({@link #AGE_ATTRIBUTES}, {@code exists} aside: it tells
     * nothing of the year), and an error for each {@code age} condition that is not a {@code between} of at least
     * {@code minimumRange} birth years. A valid rule is assumed ({@link #compile} reports the rest).
     */
    public static List<String> ageConditions(JsonNode rule, int minimumRange, List<InvalidRuleException.Error> errors) {
        List<String> found = new ArrayList<>();
        ageConditions(rule, "", minimumRange, found, errors, 0);
        return found;
    }

    private static void ageConditions(JsonNode n, String at, int minimumRange, List<String> found,
            List<InvalidRuleException.Error> errors, int depth) {
        if (n == null || !n.isObject() || depth > 20) {
            return;
        }
        for (String key : List.of("all", "any")) {
            JsonNode list = n.get(key);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    ageConditions(list.get(i), at + "/" + key + "/" + i, minimumRange, found, errors, depth + 1);
                }
            }
        }
        if (n.has("not")) {
            ageConditions(n.get("not"), at + "/not", minimumRange, found, errors, depth + 1);
        }
        JsonNode attr = n.get("attr");
        JsonNode op = n.get("op");
        if (attr == null || !AGE_ATTRIBUTES.contains(attr.asText()) || op == null || "exists".equals(op.asText())) {
            return;
        }
        found.add(at);
        if (attr.asText().equals("age")) {
            JsonNode value = n.get("value");
            boolean range = "between".equals(op.asText()) && value != null && value.isArray() && value.size() == 2
                    && value.get(0).isNumber() && value.get(1).isNumber();
            if (!range) {
                errors.add(new InvalidRuleException.Error(at + "/op", "age is read only as a range: between [low, high], "
                        + "at least " + minimumRange + " years"));
            } else if (value.get(1).decimalValue().subtract(value.get(0).decimalValue()).add(BigDecimal.ONE)
                    .compareTo(BigDecimal.valueOf(minimumRange)) < 0) {
                errors.add(new InvalidRuleException.Error(at + "/value", "an age range covers at least " + minimumRange
                        + " years (high - low + 1)"));
            }
        }
    }

    private static Condition node(JsonNode n, String at, Set<String> known, Set<String> referenced,
            List<InvalidRuleException.Error> errors, int depth, int[] nodes) {
        nodes[0]++;
        if (depth > 20) {
            errors.add(new InvalidRuleException.Error(at, "rules nest at most 20 levels"));
            return (p, now, m) -> false;
        }
        if (n == null || !n.isObject()) {
            errors.add(new InvalidRuleException.Error(at.isEmpty() ? "/" : at, "must be an object: all, any, not, inSegment or a condition"));
            return (p, now, m) -> false;
        }
        if (n.has("all") || n.has("any")) {
            String key = n.has("all") ? "all" : "any";
            only(n, at, errors, key);
            JsonNode list = n.get(key);
            if (!list.isArray() || list.isEmpty()) {
                errors.add(new InvalidRuleException.Error(at + "/" + key, "must be a non-empty array of rules"));
                return (p, now, m) -> false;
            }
            List<Condition> parts = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                parts.add(node(list.get(i), at + "/" + key + "/" + i, known, referenced, errors, depth + 1, nodes));
            }
            Condition[] array = parts.toArray(new Condition[0]);
            return key.equals("all") ? (p, now, m) -> {
                for (Condition c : array) {
                    if (!c.test(p, now, m)) {
                        return false;
                    }
                }
                return true;
            } : (p, now, m) -> {
                for (Condition c : array) {
                    if (c.test(p, now, m)) {
                        return true;
                    }
                }
                return false;
            };
        }
        if (n.has("not")) {
            only(n, at, errors, "not");
            Condition inner = node(n.get("not"), at + "/not", known, referenced, errors, depth + 1, nodes);
            return (p, now, m) -> !inner.test(p, now, m);
        }
        if (n.has("inSegment")) {
            only(n, at, errors, "inSegment");
            String id = n.get("inSegment").asText("");
            if (!n.get("inSegment").isTextual() || !known.contains(id)) {
                errors.add(new InvalidRuleException.Error(at + "/inSegment", "must name an existing segment"));
            }
            referenced.add(id);
            return (p, now, m) -> m.contains(id);
        }
        if (n.has("attr")) {
            return condition(n, at, errors);
        }
        errors.add(new InvalidRuleException.Error(at.isEmpty() ? "/" : at, "must have one of all, any, not, inSegment or attr"));
        return (p, now, m) -> false;
    }

    private static void only(JsonNode n, String at, List<InvalidRuleException.Error> errors, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ok.contains(field)) {
                errors.add(new InvalidRuleException.Error(at + "/" + field, "is not allowed here"));
            }
        }
    }

    private static Condition condition(JsonNode n, String at, List<InvalidRuleException.Error> errors) {
        only(n, at, errors, "attr", "op", "value");
        String name = n.get("attr").asText("");
        Attribute attribute = ATTRIBUTES.get(name);
        if (attribute == null) {
            errors.add(new InvalidRuleException.Error(at + "/attr", "unknown attribute; known: " + new java.util.TreeSet<>(ATTRIBUTES.keySet())));
            return (p, now, m) -> false;
        }
        JsonNode opNode = n.get("op");
        if (opNode == null || !opNode.isTextual()) {
            errors.add(new InvalidRuleException.Error(at + "/op", "is required"));
            return (p, now, m) -> false;
        }
        String op = opNode.asText();
        JsonNode value = n.get("value");
        Function<ProfileFacts, Object> read = attribute.read();
        if (op.equals("exists")) {
            if (value != null) {
                errors.add(new InvalidRuleException.Error(at + "/value", "exists takes no value"));
            }
            return (p, now, m) -> read.apply(p) != null;
        }
        if (value == null || value.isNull()) {
            errors.add(new InvalidRuleException.Error(at + "/value", "is required for " + op));
            return (p, now, m) -> false;
        }
        return switch (attribute.type()) {
            case NUMBER -> number(read, op, value, at, errors);
            case TEXT -> text(read, name.equals("gender") ? SegmentRule::gender : TurkishCase::fold, op, value, at, errors);
            case TIME -> time(read, op, value, at, errors);
        };
    }

    private static Condition number(Function<ProfileFacts, Object> read, String op, JsonNode value, String at,
            List<InvalidRuleException.Error> errors) {
        switch (op) {
            case "=", "!=", "<", "<=", ">", ">=" -> {
                BigDecimal v = bounded(value);
                if (v == null) {
                    errors.add(new InvalidRuleException.Error(at + "/value", NUMBER));
                    return (p, now, m) -> false;
                }
                return (p, now, m) -> {
                    BigDecimal x = decimal(read.apply(p));
                    if (x == null) {
                        return op.equals("!=");
                    }
                    int c = x.compareTo(v);
                    return switch (op) {
                        case "=" -> c == 0;
                        case "!=" -> c != 0;
                        case "<" -> c < 0;
                        case "<=" -> c <= 0;
                        case ">" -> c > 0;
                        default -> c >= 0;
                    };
                };
            }
            case "between" -> {
                BigDecimal low = value.isArray() && value.size() == 2 ? bounded(value.get(0)) : null;
                BigDecimal high = value.isArray() && value.size() == 2 ? bounded(value.get(1)) : null;
                if (low == null || high == null || low.compareTo(high) > 0) {
                    errors.add(new InvalidRuleException.Error(at + "/value", "must be [low, high] with low <= high (both included), "
                            + "each " + NUMBER.substring("must be ".length())));
                    return (p, now, m) -> false;
                }
                return (p, now, m) -> {
                    BigDecimal x = decimal(read.apply(p));
                    return x != null && x.compareTo(low) >= 0 && x.compareTo(high) <= 0;
                };
            }
            case "in" -> {
                if (!value.isArray() || value.isEmpty() || value.size() > MOST_VALUES) {
                    errors.add(new InvalidRuleException.Error(at + "/value", "must be a non-empty array of at most " + MOST_VALUES
                            + " numbers"));
                    return (p, now, m) -> false;
                }
                Set<BigDecimal> set = new HashSet<>();
                for (int i = 0; i < value.size(); i++) {
                    BigDecimal v = bounded(value.get(i));
                    if (v == null) {
                        errors.add(new InvalidRuleException.Error(at + "/value/" + i, NUMBER));
                    } else {
                        set.add(v.stripTrailingZeros());
                    }
                }
                return (p, now, m) -> {
                    BigDecimal x = decimal(read.apply(p));
                    return x != null && set.contains(x.stripTrailingZeros());
                };
            }
            default -> {
                errors.add(new InvalidRuleException.Error(at + "/op", "numbers take =, !=, <, <=, >, >=, between, in or exists"));
                return (p, now, m) -> false;
            }
        }
    }

    /**
     * Text compares Turkish-aware case-folded ({@link TurkishCase}): a rule for İstanbul matches Istanbul, ISTANBUL and
     * istanbul. A rule's gender values are read as the shop's are ({@link SegmentFacts#normalGender}: Kadın, KADIN, F,
     * female are all female).
     */
    private static Condition text(Function<ProfileFacts, Object> read, Function<String, String> normal, String op, JsonNode value,
            String at, List<InvalidRuleException.Error> errors) {
        switch (op) {
            case "=", "!=", "contains" -> {
                if (!value.isTextual() || value.asText().length() > LONGEST_TEXT) {
                    errors.add(new InvalidRuleException.Error(at + "/value", "must be a string of at most " + LONGEST_TEXT + " characters"));
                    return (p, now, m) -> false;
                }
                String v = op.equals("contains") ? TurkishCase.fold(value.asText()) : normal.apply(value.asText());
                if (v.isEmpty()) {
                    errors.add(new InvalidRuleException.Error(at + "/value", UNKNOWN));
                    return (p, now, m) -> false;
                }
                return (p, now, m) -> {
                    Object x = read.apply(p);
                    String s = x == null ? null : TurkishCase.fold(x.toString());
                    return switch (op) {
                        case "=" -> v.equals(s);
                        case "!=" -> !v.equals(s);
                        default -> s != null && s.contains(v);
                    };
                };
            }
            case "in" -> {
                if (!value.isArray() || value.isEmpty() || value.size() > MOST_VALUES) {
                    errors.add(new InvalidRuleException.Error(at + "/value", "must be a non-empty array of at most " + MOST_VALUES
                            + " strings"));
                    return (p, now, m) -> false;
                }
                Set<String> set = new HashSet<>();
                for (int i = 0; i < value.size(); i++) {
                    JsonNode v = value.get(i);
                    if (!v.isTextual() || v.asText().length() > LONGEST_TEXT) {
                        errors.add(new InvalidRuleException.Error(at + "/value/" + i, "must be a string of at most " + LONGEST_TEXT
                                + " characters"));
                    } else {
                        String normalValue = normal.apply(v.asText());
                        if (normalValue.isEmpty()) {
                            errors.add(new InvalidRuleException.Error(at + "/value/" + i, UNKNOWN));
                        }
                        set.add(normalValue);
                    }
                }
                return (p, now, m) -> {
                    Object x = read.apply(p);
                    return x != null && set.contains(TurkishCase.fold(x.toString()));
                };
            }
            default -> {
                errors.add(new InvalidRuleException.Error(at + "/op", "text takes =, !=, in, contains or exists"));
                return (p, now, m) -> false;
            }
        }
    }

    private static Condition time(Function<ProfileFacts, Object> read, String op, JsonNode value, String at,
            List<InvalidRuleException.Error> errors) {
        switch (op) {
            case "within", "notWithin" -> {
                Duration d = value.isTextual() ? duration(value.asText("")) : null;
                if (d == null) {
                    errors.add(new InvalidRuleException.Error(at + "/value", "must be a duration such as \"30d\", \"12h\", \"2w\" or "
                            + "\"P30D\", positive and at most 100 years (36500d)"));
                    return (p, now, m) -> false;
                }
                boolean within = op.equals("within");
                return (p, now, m) -> {
                    Instant x = (Instant) read.apply(p);
                    return x != null && (within == !x.isBefore(now.minus(d)));
                };
            }
            case "before", "after" -> {
                Instant v;
                try {
                    v = value.isTextual() ? Instant.parse(value.asText("")) : null;
                } catch (DateTimeParseException e) {
                    v = null;
                }
                if (v == null || v.isBefore(EARLIEST) || v.isAfter(LATEST)) {
                    errors.add(new InvalidRuleException.Error(at + "/value", "must be an ISO-8601 instant from 1900 to 2200"));
                    return (p, now, m) -> false;
                }
                Instant instant = v;
                boolean before = op.equals("before");
                return (p, now, m) -> {
                    Instant x = (Instant) read.apply(p);
                    return x != null && (before ? x.isBefore(instant) : x.isAfter(instant));
                };
            }
            default -> {
                errors.add(new InvalidRuleException.Error(at + "/op", "times take within, notWithin, before, after or exists"));
                return (p, now, m) -> false;
            }
        }
    }

    /**
     * "30d", "12h", "2w" or ISO-8601 (a month counts 30 days, a year 12 months); null when unreadable, not positive or
     * longer than {@link #LONGEST} (a far past such as P2000000000Y cannot be computed from now).
     */
    static Duration duration(String text) {
        Duration d;
        Matcher short_ = SHORT_DURATION.matcher(text.strip());
        if (short_.matches()) {
            long n = Long.parseLong(short_.group(1));
            d = switch (short_.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        } else if (text.length() > 40) {
            return null;
        } else {
            try {
                if (text.toUpperCase(Locale.ROOT).contains("T")) {
                    d = Duration.parse(text);
                } else {
                    java.time.Period period = java.time.Period.parse(text);
                    d = Duration.ofDays(Math.addExact(Math.multiplyExact(period.toTotalMonths(), 30L), period.getDays()));
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        }
        return d.isNegative() || d.isZero() || d.compareTo(LONGEST) > 0 ? null : d;
    }

    private static final String NUMBER = "must be a number from -" + LARGEST.toPlainString() + " to " + LARGEST.toPlainString();

    /** A finite number of at most {@link #LARGEST} in magnitude, or null. */
    private static BigDecimal bounded(JsonNode value) {
        if (value == null || !value.isNumber() || (value.isFloatingPointNumber() && !Double.isFinite(value.asDouble())
                && !value.isBigDecimal())) {
            return null;
        }
        BigDecimal v;
        try {
            v = value.decimalValue();
        } catch (NumberFormatException e) {
            return null;
        }
        return v.scale() > 10 || v.scale() < -20 || v.abs().compareTo(LARGEST) > 0 ? null : v;
    }

    private static final String UNKNOWN = "must be a non-empty value (for gender: female, male or other; also f, m, kadın, "
            + "erkek, in any case)";

    /** A gender value of a rule as the shop's are read, or "" for a word that is none of them. */
    private static String gender(String value) {
        String normal = SegmentFacts.normalGender(value);
        if (normal == null) { // blank: no gender at all
            return "";
        }
        return "other".equals(normal) && !"other".equals(TurkishCase.fold(value)) ? "" : normal;
    }

    private static BigDecimal decimal(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof BigDecimal b) {
            return b;
        }
        if (o instanceof Double d) {
            return BigDecimal.valueOf(d);
        }
        return BigDecimal.valueOf(((Number) o).longValue());
    }

    private static Map.Entry<String, Attribute> number(String name, Function<ProfileFacts, Object> read) {
        return Map.entry(name, new Attribute(Type.NUMBER, read, false));
    }
}
