package io.sohbet.segment.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.sohbet.segment.config.SegmentConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.mutiny.sqlclient.Tuple;
import org.jboss.logging.Logger;

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
 * names with {@code inSegment}. Every replica reads the custom segments again as soon as their version changed
 * ({@link #current}): evaluations and changes exclude each other through an advisory lock.
 */
@ApplicationScoped
public class SegmentCatalog {

    /**
     * A compiled segment. A broken one ({@code problem} set: its rule no longer compiles, it refers to a broken
     * segment or in a cycle, or its evaluation failed) is not evaluated: its members stay as they were.
     */
    public record Compiled(BuiltInSegments.Definition definition, SegmentRule.Condition condition, Set<String> references,
            String problem) {

        public boolean broken() {
            return problem != null;
        }

        Compiled withProblem(String why) {
            return new Compiled(definition, condition, references, why);
        }
    }

    private static final Logger LOG = Logger.getLogger(SegmentCatalog.class);

    private final Pool database;
    private final Map<String, BuiltInSegments.Definition> builtIns;
    private final ObjectMapper json = new ObjectMapper();
    private volatile List<Compiled> ordered = List.of();
    /** The version of the custom segments {@link #ordered} was read at (segment_catalog); -1 before the first read. */
    private volatile long version = -1;

    /** The key of the advisory lock between catalog changes (exclusive) and evaluations (shared). */
    static final long CATALOG_LOCK = 0x5e6_0002L;
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

    /**
     * Reads custom segments from the database and recompiles everything. A stored rule that no longer compiles (saved
     * before a bound of the rule language) or takes part in a cycle is marked broken, and so is every segment that
     * refers to a broken one: the rest of the catalog works on. One statement, so the segments and their version are
     * of one moment; an older read than the one in place is not applied.
     */
    public Uni<List<Compiled>> reload() {
        return reload(database);
    }

    /** {@link #reload()} through {@code client} (a transaction that holds the catalog lock). */
    public Uni<List<Compiled>> reload(SqlClient client) {
        return client.query("SELECT c.version, s.id, s.name, s.description, s.rule, s.problem FROM segment_catalog c "
                        + "LEFT JOIN segment s ON NOT s.built_in ORDER BY s.id").execute()
                .map(rows -> {
                    Map<String, BuiltInSegments.Definition> all = new LinkedHashMap<>(builtIns);
                    Map<String, String> problems = new HashMap<>();
                    long read = -1;
                    for (Row r : rows) {
                        read = r.getLong("version");
                        String id = r.getString("id");
                        if (id == null) {
                            continue;
                        }
                        JsonNode rule = read(r.getString("rule"));
                        all.put(id, new BuiltInSegments.Definition(id, r.getString("name"), r.getString("description"),
                                rule == null ? json.createObjectNode() : rule, false));
                        if (rule == null) {
                            problems.put(id, "the stored rule is not JSON");
                        } else if (r.getString("problem") != null) {
                            problems.put(id, r.getString("problem"));
                        }
                    }
                    List<Compiled> compiled = order(all, problems, false);
                    synchronized (this) {
                        if (read >= version) {
                            ordered = compiled;
                            version = read;
                        }
                    }
                    return ordered;
                });
    }

    /**
     * The catalog as it is now, read again if another replica (or this one) changed it since. {@code lock}: within an
     * evaluation's transaction, takes the catalog lock shared first, so no change commits until it ends.
     */
    public Uni<SegmentCatalog> current(SqlClient client, boolean lock) {
        Uni<?> locked = lock ? lockShared(client) : Uni.createFrom().voidItem();
        return locked.chain(() -> client.query("SELECT version FROM segment_catalog").execute())
                .flatMap(rows -> rows.iterator().next().getLong("version") == version ? Uni.createFrom().item(this)
                        : reload(client).replaceWith(this));
    }

    /**
     * Takes the catalog lock shared for the rest of {@code tx}: first thing in an evaluating transaction, before any row
     * lock (a transaction holding a row lock while it queues behind a waiting change could close a cycle with a page of
     * the full run that waits for that row).
     */
    public Uni<Void> lockShared(SqlClient tx) {
        return tx.query("SELECT pg_advisory_xact_lock_shared(" + CATALOG_LOCK + ")").execute().replaceWithVoid();
    }

    /**
     * Changes the custom segments: {@code work} runs in a transaction holding the catalog lock exclusively, after the
     * catalog was read again through it (so it validates against what every replica will see), and the version is
     * raised in the same transaction; after the commit this replica reads the catalog again, the others on their
     * next evaluation or read.
     */
    public <T> Uni<T> change(java.util.function.Function<SqlClient, Uni<T>> work) {
        return database.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(" + CATALOG_LOCK + ")").execute()
                        .chain(() -> reload(tx)).chain(() -> work.apply(tx))
                        .call(() -> tx.query("UPDATE segment_catalog SET version = version + 1").execute()))
                .call(() -> reload());
    }

    /**
     * Marks segments broken whose evaluation failed ({@link #evaluate}: segment id → what happened), here at once
     * and, for custom segments, in the database (every replica reads it on its next reload). Not part of the caller's
     * transaction: the event or page that hit the failure goes on.
     */
    public void broken(Map<String, String> failures) {
        if (failures.isEmpty()) {
            return;
        }
        List<Compiled> marked = new ArrayList<>(ordered.size());
        for (Compiled c : ordered) {
            String why = failures.get(c.definition().id());
            marked.add(why != null && !c.broken() ? c.withProblem(why) : c);
        }
        ordered = List.copyOf(marked);
        failures.forEach((id, why) -> {
            LOG.warnf("segment %s is broken and no longer evaluated: %s", id, why);
            if (!builtIns.containsKey(id)) { // after the evaluation's transaction, which holds the catalog lock shared
                change(tx -> tx.preparedQuery("UPDATE segment SET problem = $2 WHERE id = $1 AND problem IS NULL").execute(Tuple.of(id, why)))
                        .subscribe().with(x -> { }, e -> LOG.warnf("segment %s: could not store that it is broken: %s", id,
                                e.getClass().getSimpleName()));
            }
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
            order(all, Map.of(), true); // throws on a cycle
        }
        return new Compiled(new BuiltInSegments.Definition(id, name, description, rule, false), condition, referenced, null);
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

    /** Which segments the profile belongs to at {@code now}. */
    public Set<String> evaluate(ProfileFacts profile, Instant now) {
        return evaluate(ordered, profile, now);
    }

    /** The ids of {@code segments} an evaluation over them decides about: all but the broken ones and {@code failed}. */
    public static Set<String> ids(List<Compiled> segments, Set<String> failed) {
        Set<String> ids = new HashSet<>();
        segments.stream().filter(c -> !c.broken() && !failed.contains(c.definition().id())).forEach(c -> ids.add(c.definition().id()));
        return ids;
    }

    /** Which of {@code segments} (one catalog's, in evaluation order) the profile belongs to at {@code now}. */
    public static Set<String> evaluate(List<Compiled> segments, ProfileFacts profile, Instant now) {
        return evaluate(segments, profile, now, new HashMap<>());
    }

    /**
     * Which of {@code segments} (one catalog's, in evaluation order) the profile belongs to at {@code now}. Broken
     * segments are skipped; one whose evaluation fails is put in {@code failures} with what happened (no profile data),
     * and so is one that refers to a failed one: their members are to be left alone. The others are not affected.
     */
    public static Set<String> evaluate(List<Compiled> segments, ProfileFacts profile, Instant now, Map<String, String> failures) {
        Set<String> member = new HashSet<>();
        for (Compiled c : segments) {
            String id = c.definition().id();
            if (c.broken()) {
                continue;
            }
            String failedReference = c.references().stream().filter(failures::containsKey).findFirst().orElse(null);
            if (failedReference != null) {
                failures.put(id, "refers to the broken segment " + failedReference);
                continue;
            }
            try {
                if (c.condition().test(profile, now, member)) {
                    member.add(id);
                }
            } catch (RuntimeException e) {
                failures.put(id, "its evaluation failed (" + now + "); change the rule to evaluate it again");
            }
        }
        return member;
    }

    /**
     * Compiles every definition and orders them so that a segment comes after those it refers to. {@code strict}
     * (a rule being written): an invalid rule or a cycle is thrown. Otherwise (stored rules) such a segment is marked
     * broken, with {@code problems} already known, and so is each segment referring to a broken one.
     */
    private List<Compiled> order(Map<String, BuiltInSegments.Definition> all, Map<String, String> problems, boolean strict) {
        Map<String, Compiled> compiled = new HashMap<>();
        for (BuiltInSegments.Definition d : all.values()) {
            Set<String> refs = new HashSet<>();
            Set<String> known = new HashSet<>(all.keySet());
            known.remove(d.id());
            SegmentRule.Condition condition = null;
            String problem = problems.get(d.id());
            try {
                condition = SegmentRule.compile(d.rule(), known, refs);
            } catch (InvalidRuleException e) {
                if (strict) {
                    throw e;
                }
                problem = "the stored rule is no longer valid: " + e.errors().stream().map(x -> (x.pointer().isEmpty() ? "/" : x.pointer())
                        + " " + x.detail()).collect(java.util.stream.Collectors.joining("; "));
                refs.retainAll(all.keySet());
            }
            compiled.put(d.id(), new Compiled(d, condition, Set.copyOf(refs), problem == null ? null
                    : problem.substring(0, Math.min(problem.length(), 1000))));
        }
        List<Compiled> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String id : all.keySet()) {
            visit(id, compiled, done, visiting, out, strict);
        }
        Set<String> broken = new HashSet<>();
        compiled.values().stream().filter(Compiled::broken).forEach(c -> broken.add(c.definition().id()));
        for (int i = 0; i < out.size(); i++) { // in evaluation order: whom a segment refers to was decided before it
            Compiled c = compiled.get(out.get(i).definition().id());
            if (!c.broken()) {
                c.references().stream().filter(broken::contains).findFirst()
                        .ifPresent(ref -> compiled.put(c.definition().id(), c.withProblem("refers to the broken segment " + ref)));
            }
            out.set(i, compiled.get(c.definition().id()));
            if (out.get(i).broken()) {
                broken.add(c.definition().id());
            }
        }
        return List.copyOf(out);
    }

    private static void visit(String id, Map<String, Compiled> compiled, Set<String> done, Set<String> visiting, List<Compiled> out,
            boolean strict) {
        if (done.contains(id)) {
            return;
        }
        if (!visiting.add(id)) {
            if (strict) {
                throw new InvalidRuleException(List.of(new InvalidRuleException.Error("/rule",
                        "segments may not refer to each other in a cycle (through " + id + ")")));
            }
            compiled.put(id, compiled.get(id).withProblem("refers to itself through other segments (a cycle)"));
            return;
        }
        for (String ref : compiled.get(id).references()) {
            visit(ref, compiled, done, visiting, out, strict);
        }
        visiting.remove(id);
        done.add(id);
        out.add(compiled.get(id));
    }

    /** A stored rule, or null if it is not JSON. */
    private JsonNode read(String rule) {
        try {
            return json.readTree(rule);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
