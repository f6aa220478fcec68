package io.sohbet.segment.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.sohbet.segment.config.SegmentConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every segment, built-in and custom, compiled and ordered so that a segment is evaluated after the segments it
 * names with {@code inSegment}. Reloaded from the database when custom segments change.
 */
@ApplicationScoped
public class SegmentCatalog {

    /** A compiled segment. */
    public record Compiled(BuiltInSegments.Definition definition, SegmentRule.Condition condition, Set<String> references) {
    }

    private final Pool database;
    private final Map<String, BuiltInSegments.Definition> builtIns;
    private final ObjectMapper json = new ObjectMapper();
    private volatile List<Compiled> ordered = List.of();
    private volatile long loadedAt = System.nanoTime();
    private final int minimumAgeRange;

    public SegmentCatalog(Pool database, SegmentConfig config) {
        this.database = database;
        this.builtIns = BuiltInSegments.of(config.thresholds());
        this.minimumAgeRange = config.minimumAgeRange();
    }

    /** The segments in evaluation order. */
    public List<Compiled> segments() {
        return ordered;
    }

    public Compiled find(String id) {
        return ordered.stream().filter(c -> c.definition().id().equals(id)).findFirst().orElse(null);
    }

    public boolean isBuiltIn(String id) {
        return builtIns.containsKey(id);
    }

    /** Reads custom segments from the database and recompiles everything. */
    public Uni<List<Compiled>> reload() {
        return database.query("SELECT id, name, description, rule FROM segment WHERE NOT built_in ORDER BY id").execute().map(rows -> {
            Map<String, BuiltInSegments.Definition> all = new LinkedHashMap<>(builtIns);
            for (Row r : rows) {
                all.put(r.getString("id"), new BuiltInSegments.Definition(r.getString("id"), r.getString("name"),
                        r.getString("description"), read(r.getString("rule")), false));
            }
            ordered = order(all);
            loadedAt = System.nanoTime();
            return ordered;
        });
    }

    /** Validates a rule against the current segments (and, for an update, rejects a reference cycle). */
    public Compiled check(String id, String name, String description, JsonNode rule) {
        Set<String> known = new HashSet<>();
        ordered.forEach(c -> known.add(c.definition().id()));
        if (id != null) {
            known.remove(id);
        }
        Set<String> referenced = new HashSet<>();
        SegmentRule.Condition condition = SegmentRule.compile(rule, known, referenced);
        checkAge(rule, referenced);
        if (id != null) {
            Map<String, BuiltInSegments.Definition> all = new LinkedHashMap<>();
            ordered.forEach(c -> all.put(c.definition().id(), c.definition()));
            all.put(id, new BuiltInSegments.Definition(id, name, description, rule, false));
            order(all); // throws on a cycle
        }
        return new Compiled(new BuiltInSegments.Definition(id, name, description, rule, false), condition, referenced);
    }

    /**
     * Age is read only as a range of at least {@code minimum-age-range} years, once in a rule together with the
     * segments it refers to (directly or through others): two ranges, or a range and a band, could intersect to one
     * birth year. Checked when a rule is written or previewed; rules stored before keep evaluating.
     */
    private void checkAge(JsonNode rule, Set<String> referenced) {
        List<InvalidRuleException.Error> errors = new ArrayList<>();
        List<String> own = SegmentRule.ageConditions(rule, minimumAgeRange, errors);
        Set<String> inherited = new java.util.TreeSet<>();
        Set<String> seen = new HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(referenced);
        while (!todo.isEmpty()) {
            Compiled c = find(todo.pop());
            if (c == null || !seen.add(c.definition().id())) {
                continue;
            }
            if (!SegmentRule.ageConditions(c.definition().rule(), minimumAgeRange, new ArrayList<>()).isEmpty()) {
                inherited.add(c.definition().id());
            }
            todo.addAll(c.references());
        }
        if (own.size() > 1) {
            own.subList(1, own.size()).forEach(at -> errors.add(new InvalidRuleException.Error(at,
                    "age (or ageBand) may appear once in a rule: two conditions on it could single out a birth year")));
        }
        if (!own.isEmpty() && !inherited.isEmpty()) {
            errors.add(new InvalidRuleException.Error(own.get(0), "the segments this rule refers to already use age "
                    + inherited + ": age may appear once, counting them"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
    }

    /** Whether the custom segments were read from the database longer than {@code age} ago (or never). */
    public boolean olderThan(java.time.Duration age) {
        return ordered.isEmpty() || System.nanoTime() - loadedAt > age.toNanos();
    }

    /** Which segments the profile belongs to at {@code now}. */
    public Set<String> evaluate(ProfileFacts profile, Instant now) {
        return evaluate(ordered, profile, now);
    }

    /** The ids of {@code segments}: what an evaluation over them decided about. */
    public static Set<String> ids(List<Compiled> segments) {
        Set<String> ids = new HashSet<>();
        segments.forEach(c -> ids.add(c.definition().id()));
        return ids;
    }

    /** Which of {@code segments} (one catalog's, in evaluation order) the profile belongs to at {@code now}. */
    public static Set<String> evaluate(List<Compiled> segments, ProfileFacts profile, Instant now) {
        Set<String> member = new HashSet<>();
        for (Compiled c : segments) {
            if (c.condition().test(profile, now, member)) {
                member.add(c.definition().id());
            }
        }
        return member;
    }

    private List<Compiled> order(Map<String, BuiltInSegments.Definition> all) {
        Map<String, Compiled> compiled = new HashMap<>();
        for (BuiltInSegments.Definition d : all.values()) {
            Set<String> refs = new HashSet<>();
            Set<String> known = new HashSet<>(all.keySet());
            known.remove(d.id());
            compiled.put(d.id(), new Compiled(d, SegmentRule.compile(d.rule(), known, refs), refs));
        }
        List<Compiled> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String id : all.keySet()) {
            visit(id, compiled, done, visiting, out);
        }
        return List.copyOf(out);
    }

    private static void visit(String id, Map<String, Compiled> compiled, Set<String> done, Set<String> visiting, List<Compiled> out) {
        if (done.contains(id)) {
            return;
        }
        if (!visiting.add(id)) {
            throw new InvalidRuleException(List.of(new InvalidRuleException.Error("/rule", "segments may not refer to each other in a cycle (through " + id + ")")));
        }
        for (String ref : compiled.get(id).references()) {
            visit(ref, compiled, done, visiting, out);
        }
        visiting.remove(id);
        done.add(id);
        out.add(compiled.get(id));
    }

    private JsonNode read(String rule) {
        try {
            return json.readTree(rule);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored rule is not JSON", e);
        }
    }
}
