package io.sohbet.campaign.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.sohbet.campaign.domain.CampaignDefinition;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Campaigns and their lifecycle: draft → scheduled → running ⇄ paused → completed | cancelled. Only a draft can be
 * changed or deleted; a transition that does not apply to the campaign's state is a conflict. The definition of a
 * scheduled campaign never changes again, so senders cache it.
 */
@ApplicationScoped
public class Campaigns {

    public static final String DRAFT = "draft";
    public static final String SCHEDULED = "scheduled";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";

    /** Recipient states, in the order progress reports them. */
    public static final List<String> STATES = List.of("waiting", "queued", "sending", "sent", "delivered", "read", "failed",
            "deferred", "unconfirmed", "skipped-no-consent", "skipped-cap", "skipped-no-window", "held-out", "cancelled");

    static final String COLUMNS = "id, name, status, definition::text AS definition, created_by, created_at, updated_at, "
            + "start_at, planned_at, audience, test_ends_at, winner, winner_decided_at, winner_reason, finished_at, "
            + "planning_generation, pause_reason";

    /** @param planningGeneration the fencing token of the latest planning claim (see {@link Planner}) */
    public record Campaign(String id, String name, String status, CampaignDefinition definition, String createdBy,
            Instant createdAt, Instant updatedAt, Instant startAt, Instant plannedAt, Integer audience, Instant testEndsAt,
            String winner, Instant winnerDecidedAt, String winnerReason, Instant finishedAt, long planningGeneration,
            String pauseReason) {

        public boolean finished() {
            return COMPLETED.equals(status) || CANCELLED.equals(status);
        }
    }

    /** The campaign is not in a state that allows the change. */
    public static final class Conflict extends RuntimeException {

        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    private final Pool database;
    private final ObjectMapper json;
    private final Map<String, CampaignDefinition> definitions = new ConcurrentHashMap<>();

    public Campaigns(Pool database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    public Uni<Campaign> create(CampaignDefinition definition, String createdBy) {
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = utc(Instant.now());
        return database.preparedQuery("INSERT INTO campaign (id, name, status, definition, created_by, created_at, updated_at, csat_survey) "
                        + "VALUES ($1, $2, 'draft', $3::text::jsonb, $4, $5, $5, $6) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, definition.name(), write(definition), createdBy, now, definition.csatSurvey()))
                .map(rows -> campaign(rows.iterator().next()));
    }

    /** The campaign, or null. */
    public Uni<Campaign> find(String id) {
        return database.preparedQuery("SELECT " + COLUMNS + " FROM campaign WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : campaign(rows.iterator().next()));
    }

    public Uni<List<Campaign>> list(String status, int limit) {
        return database.preparedQuery("SELECT " + COLUMNS + " FROM campaign WHERE $1::text IS NULL OR status = $1::text "
                        + "ORDER BY created_at DESC LIMIT $2").execute(Tuple.of(status, limit))
                .map(rows -> {
                    List<Campaign> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(campaign(r)));
                    return out;
                });
    }

    /** The definition of a campaign that is past draft (cached: it cannot change any more). */
    public Uni<CampaignDefinition> definition(String id) {
        CampaignDefinition cached = definitions.get(id);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return find(id).map(c -> {
            if (c != null && !DRAFT.equals(c.status())) {
                definitions.put(id, c.definition());
            }
            return c == null ? null : c.definition();
        });
    }

    public Uni<Campaign> replace(String id, CampaignDefinition definition) {
        return transition(id, "UPDATE campaign SET name = $3, definition = $4::text::jsonb, csat_survey = $5, updated_at = $2 "
                + "WHERE id = $1 AND status = 'draft'", List.of(definition.name(), write(definition), definition.csatSurvey()),
                "only a draft can be changed");
    }

    public Uni<Boolean> delete(String id) {
        return database.preparedQuery("DELETE FROM campaign WHERE id = $1 AND status = 'draft'").execute(Tuple.of(id))
                .flatMap(rows -> rows.rowCount() == 1 ? Uni.createFrom().item(true) : find(id).map(c -> {
                    if (c == null) {
                        return false;
                    }
                    throw new Conflict("only a draft can be deleted; cancel a " + c.status() + " campaign instead");
                }));
    }

    /** draft → scheduled, starting at {@code startAt} (now when null or past). */
    public Uni<Campaign> schedule(String id, Instant startAt) {
        Instant now = Instant.now();
        Instant start = startAt == null || startAt.isBefore(now) ? now : startAt;
        return transition(id, "UPDATE campaign SET status = 'scheduled', start_at = $3, updated_at = $2 WHERE id = $1 AND status = 'draft'",
                List.of(utc(start)), "only a draft can be scheduled");
    }

    public Uni<Campaign> pause(String id) {
        return transition(id, "UPDATE campaign SET status = 'paused', pause_reason = NULL, updated_at = $2 WHERE id = $1 "
                + "AND status = 'running'", List.of(), "only a running campaign can be paused");
    }

    /**
     * paused → running; a campaign paused before its start (its template changed) goes on from where it was: planned at
     * its start time if it was not planned yet.
     */
    public Uni<Campaign> resume(String id) {
        return transition(id, "UPDATE campaign SET status = 'running', pause_reason = NULL, updated_at = $2 WHERE id = $1 "
                + "AND status = 'paused'", List.of(), "only a paused campaign can be resumed");
    }

    /** Pauses one scheduled or running campaign with the service's reason; false when it was neither. */
    public Uni<Boolean> pauseFor(String id, String reason) {
        return database.preparedQuery("UPDATE campaign SET status = 'paused', pause_reason = $2, updated_at = $3 WHERE id = $1 "
                        + "AND status IN ('scheduled', 'running')")
                .execute(Tuple.of(id, storable(reason), utc(Instant.now())))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Pauses every scheduled or running campaign that sends template {@code name} (in {@code language}; any language
     * when null), with the reason; returns their ids. A campaign paused this way stays paused until a marketer resumes
     * it (resuming checks its templates again).
     */
    public Uni<List<String>> pauseUsingTemplate(String name, String language, String reason) {
        return database.preparedQuery("UPDATE campaign SET status = 'paused', pause_reason = $3, updated_at = $4 "
                        + "WHERE status IN ('scheduled', 'running') AND EXISTS (SELECT 1 FROM jsonb_array_elements(definition -> 'variants') v "
                        + "WHERE v -> 'message' ->> 'type' = 'template' AND v -> 'message' -> 'template' ->> 'name' = $1 "
                        + "AND ($2::text IS NULL OR v -> 'message' -> 'template' ->> 'language' = $2::text)) RETURNING id")
                .execute(Tuple.of(storable(name), storable(language), storable(reason), utc(Instant.now())))
                .map(rows -> {
                    List<String> ids = new java.util.ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString("id")));
                    return ids;
                });
    }

    /** scheduled, running or paused → cancelled; recipients not yet messaged are cancelled with it. */
    public Uni<Campaign> cancel(String id) {
        return database.withTransaction(c -> c.preparedQuery("UPDATE campaign SET status = 'cancelled', updated_at = $2, "
                        + "finished_at = $2 WHERE id = $1 AND status IN ('scheduled', 'running', 'paused')")
                .execute(Tuple.of(id, utc(Instant.now())))
                .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : c.preparedQuery("UPDATE send_queue SET status = 'cancelled' WHERE campaign_id = $1 "
                                + "AND status IN ('waiting', 'queued', 'deferred')").execute(Tuple.of(id))))
                .flatMap(rows -> find(id).map(found -> {
                    if (found != null && rows.rowCount() == 0) {
                        throw new Conflict("a " + found.status() + " campaign cannot be cancelled");
                    }
                    return found;
                }));
    }

    /** A send queue row's state as progress reports it: a sent message is delivered or read once it was. */
    static final String STATE = "CASE WHEN status = 'sent' AND read_at IS NOT NULL THEN 'read' "
            + "WHEN status = 'sent' AND delivered_at IS NOT NULL THEN 'delivered' ELSE status END";

    /**
     * Recipients per state (every state present, zero included): the send queue's rows, and the counts of those the
     * retention rule deleted ({@code send_tally}, {@link SendQueueRetention}).
     */
    public Uni<Map<String, Long>> progress(String id) {
        return database.preparedQuery("SELECT state, sum(n)::bigint AS n FROM (SELECT " + STATE + " AS state, count(*) AS n "
                        + "FROM send_queue WHERE campaign_id = $1 GROUP BY 1 UNION ALL SELECT state, counted FROM send_tally "
                        + "WHERE campaign_id = $1) t GROUP BY state").execute(Tuple.of(id))
                .map(rows -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    STATES.forEach(s -> out.put(s, 0L));
                    rows.forEach(r -> out.merge(r.getString("state"), r.getLong("n"), Long::sum));
                    return out;
                });
    }

    /** Recipients in one state for one reason: Meta's error code (null when the reason is ours) and the reason's text. */
    public record Reason(String state, Integer code, String reason, long recipients) {
    }

    /** The most reasons {@link #reasons} gives for a campaign. */
    static final int MAX_REASONS = 200;

    /** The states whose rows carry the reason they are in (a row sent, sending or cancelled keeps an old one). */
    static final List<String> STATES_WITH_REASONS = List.of("queued", "deferred", "failed", "unconfirmed", "skipped-no-consent",
            "skipped-cap", "skipped-no-window");

    /**
     * The reasons of our own that are shown as written (without a code): consent-service's ({@code no-consent},
     * {@code no-iys-consent}, {@code no-contact}), a status webhook's failure without an error, and campaign-service's
     * fixed texts, each perhaps with the retries' suffix. Anything else without a code is Meta's free text and is not
     * shown. Written in the regular-expression syntax Java and PostgreSQL share.
     */
    static final String OWN_REASONS = "^((no-consent|no-contact|no-iys-consent|failed)|(frequency cap reached)"
            + "|(waiting for the messaging tier limit)|(late for its send slot)|(consent-service unavailable)"
            + "|(recipient's local time)"
            + "|((no message from the customer known|the customer last wrote over 24 hours ago): a [a-z]{1,20} message can only go "
            + "inside " + literal("the 24-hour customer service window; send a template instead") + ")"
            + "|(variant [A-Za-z0-9_-]{1,32} is not one of the campaign's variants; not sent)"
            + "|(" + literal(Dispatcher.AUTHENTICATION_NEEDS_PHONE) + ")"
            + "|((no answer from the Cloud API|send outcome unknown) \\([A-Za-z0-9 $_./-]{0,80}\\); not resent)"
            + "|(the worker stopped before the outcome was known; not resent \\(at most once\\))"
            + "|(cannot reach the Cloud API)|(HTTP [0-9]{3}))( \\(gave up after [0-9]+ attempts\\))?$";

    private static final java.util.regex.Pattern OWN = java.util.regex.Pattern.compile(OWN_REASONS);

    /** {@code text} as a regular expression that matches it alone (Java's and PostgreSQL's syntax). */
    static String literal(String text) {
        return text.replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
    }

    /** Shown for a reason without a code that is not ours: its text is not passed on. */
    static final String NOT_OURS = "another reason (Meta's text, not shown)";

    /**
     * Why the campaign's recipients are where they are, for those waiting again, deferred, failed, unconfirmed or
     * skipped: per state, Meta's error code and the reason, most recipients first. A coded reason is told in our words
     * ({@link io.sohbet.campaign.client.CloudApiErrors}), never by Meta's title or details (free text that may repeat
     * what the request carried); an uncoded one is ours ({@link #OWN_REASONS}), grouped in the database, so that texts
     * that are not ours count together however many there are. Rows the retention rule deleted are counted in
     * {@code progress} only.
     */
    public Uni<List<Reason>> reasons(String id) {
        return database.preparedQuery("SELECT status, error_code, CASE WHEN error_code IS NOT NULL THEN NULL "
                        + "WHEN error_title ~ $3 THEN error_title ELSE '' END AS own, count(*) AS n FROM send_queue "
                        + "WHERE campaign_id = $1 AND status = ANY($2) AND (error_title IS NOT NULL OR error_code IS NOT NULL) "
                        + "GROUP BY 1, 2, 3")
                .execute(Tuple.of(id, STATES_WITH_REASONS.toArray(new String[0]), OWN_REASONS))
                .map(rows -> {
                    Map<List<Object>, Long> merged = new LinkedHashMap<>();
                    rows.forEach(r -> {
                        Integer code = r.getInteger("error_code");
                        String reason = code != null ? io.sohbet.campaign.client.CloudApiErrors.meaning(code) : own(r.getString("own"));
                        merged.merge(java.util.Arrays.asList(r.getString("status"), code, reason), r.getLong("n"), Long::sum);
                    });
                    return merged.entrySet().stream()
                            .map(e -> new Reason((String) e.getKey().get(0), (Integer) e.getKey().get(1), (String) e.getKey().get(2), e.getValue()))
                            .sorted(java.util.Comparator.comparingLong(Reason::recipients).reversed().thenComparing(Reason::state)
                                    .thenComparing(Reason::reason).thenComparing(Reason::code,
                                            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                            .limit(MAX_REASONS).toList();
                });
    }

    /** An uncoded reason as shown: ours as written, anything else as {@link #NOT_OURS}. */
    static String own(String reason) {
        return reason != null && OWN.matcher(reason).matches() ? reason : NOT_OURS;
    }

    private Uni<Campaign> transition(String id, String sql, List<Object> extra, String conflict) {
        Tuple params = Tuple.of(id, utc(Instant.now()));
        extra.forEach(params::addValue);
        return database.preparedQuery(sql).execute(params).flatMap(rows -> find(id).map(c -> {
            if (c != null && rows.rowCount() == 0) {
                throw new Conflict(conflict + " (it is " + c.status() + ")");
            }
            return c;
        }));
    }

    Campaign campaign(Row r) {
        return new Campaign(r.getString("id"), r.getString("name"), r.getString("status"), read(r.getString("definition")),
                r.getString("created_by"), instant(r, "created_at"), instant(r, "updated_at"), instant(r, "start_at"),
                instant(r, "planned_at"), r.getInteger("audience"), instant(r, "test_ends_at"), r.getString("winner"),
                instant(r, "winner_decided_at"), r.getString("winner_reason"), instant(r, "finished_at"),
                r.getLong("planning_generation"), r.getString("pause_reason"));
    }

    String write(CampaignDefinition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a campaign definition", e);
        }
    }

    CampaignDefinition read(String text) {
        try {
            return json.readValue(text, CampaignDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored campaign definition cannot be read", e);
        }
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    /**
     * A text from outside (Meta's error titles and details, template names and reasons) as a text column takes it: without
     * U+0000, which PostgreSQL refuses in text (SQLSTATE 22021, the whole record would be dead-lettered), and at most
     * 300 characters, not cut inside a surrogate pair.
     */
    public static String storable(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
        if (clean.length() <= 300) {
            return clean;
        }
        return clean.substring(0, Character.isHighSurrogate(clean.charAt(299)) ? 299 : 300);
    }

    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
