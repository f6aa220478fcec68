package io.sohbet.console.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.sohbet.console.client.ApiProblem;
import io.sohbet.console.client.SegmentApi;
import io.sohbet.console.service.RulePreview;
import io.sohbet.console.service.RuleText;
import io.sohbet.console.service.SegmentForm;
import io.sohbet.console.service.Viewer;
import io.sohbet.console.service.Viewers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The marketer's segment builder, on segment-service as the signed-in user: the segments there are, a rule text with a
 * debounced preview (its tree, its problems at their line and column, the count), and saving it as a segment.
 */
@Path("/marketing/segments")
@RolesAllowed({"marketer", "admin"})
@Produces(MediaType.TEXT_HTML)
public class SegmentPages {

    static final String SEGMENT_ID = "[a-z0-9][a-z0-9-]{0,63}";
    /** segment-service's own limits are smaller (500 nodes); this only keeps a pasted novel out. */
    static final int LONGEST_RULE = 100_000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance segments(Viewer viewer, List<SegmentApi.Segment> segments, SegmentForm form,
                RulePreview preview, String saved);

        static native TemplateInstance segmentForm(Viewer viewer, SegmentForm form, RulePreview preview);

        static native TemplateInstance preview(Viewer viewer, RulePreview preview);
    }

    private final SegmentApi segments;
    private final Viewers viewers;

    public SegmentPages(@RestClient SegmentApi segments, Viewers viewers) {
        this.segments = segments;
        this.viewers = viewers;
    }

    @GET
    public TemplateInstance page(@QueryParam("saved") String saved) {
        Viewer viewer = viewers.current();
        String shown = saved != null && saved.matches(SEGMENT_ID) ? saved : null;
        return Templates.segments(viewer, segments.segments(), SegmentForm.empty(), null, shown).setLocale(viewer.locale());
    }

    /** The builder's preview (htmx, debounced; a newer one replaces a running one): nothing is saved. */
    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preview(@FormParam("rule") String rule) {
        Viewer viewer = viewers.current();
        RulePreview preview = check(rule);
        return Response.ok(Templates.preview(viewer, preview).setLocale(viewer.locale())).build();
    }

    /** Saves the rule as a segment; on success the browser goes back to the list (HX-Redirect). */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@FormParam("id") String id, @FormParam("name") String name, @FormParam("description") String description,
            @FormParam("rule") String rule) {
        Viewer viewer = viewers.current();
        String key = id == null ? "" : id.trim();
        String title = name == null ? "" : name.trim();
        String about = description == null ? "" : description.trim();
        String text = rule == null ? "" : rule;
        Map<String, String> errors = new LinkedHashMap<>();
        if (!key.matches(SEGMENT_ID)) {
            errors.put("id", viewer.english() ? "lowercase letters, digits and dashes, up to 64, starting with a letter or digit"
                    : "küçük harf, rakam ve tire; en çok 64, harf ya da rakamla başlar");
        }
        if (title.isEmpty() || title.length() > 200) {
            errors.put("name", viewer.english() ? "a name of up to 200 characters" : "en çok 200 karakterlik bir ad");
        }
        if (about.length() > 1000) {
            errors.put("description", viewer.english() ? "up to 1000 characters" : "en çok 1000 karakter");
        }
        RuleText parsed = RuleText.parse(text);
        if (parsed.syntaxError() != null || text.length() > LONGEST_RULE) {
            errors.put("rule", viewer.english() ? "the rule is not valid JSON" : "kural geçerli bir JSON değil");
        }
        if (!errors.isEmpty()) {
            return invalid(viewer, new SegmentForm(key, title, about, text, null, errors),
                    parsed.syntaxError() != null ? RulePreview.syntax(parsed) : null);
        }
        try {
            segments.create(new SegmentApi.SegmentInput(key, title, about.isEmpty() ? null : about, parsed.rule()));
            return Response.ok().header("HX-Redirect", "/marketing/segments?saved=" + key).build();
        } catch (ClientWebApplicationException refused) {
            int status = refused.getResponse().getStatus();
            if (status != 400 && status != 409) {
                throw refused;
            }
            ApiProblem problem = ApiProblem.of(refused);
            Map<String, String> fields = new LinkedHashMap<>(problem.fields());
            if (status == 409) {
                fields.put("id", problem.detail() == null ? "taken" : problem.detail());
            }
            RulePreview preview = fields.containsKey("rule") ? RulePreview.refused(parsed, problem) : null;
            return invalid(viewer, new SegmentForm(key, title, about, text, status == 409 ? null : problem.detail(), fields), preview);
        }
    }

    private RulePreview check(String rule) {
        String text = rule == null ? "" : rule;
        RuleText parsed = RuleText.parse(text.length() > LONGEST_RULE ? text.substring(0, LONGEST_RULE) : text);
        if (parsed.syntaxError() != null) {
            return RulePreview.syntax(parsed);
        }
        try {
            return RulePreview.counted(parsed, segments.preview(new SegmentApi.RuleInput(parsed.rule())));
        } catch (ClientWebApplicationException refused) {
            if (refused.getResponse().getStatus() != 400) {
                throw refused;
            }
            return RulePreview.refused(parsed, ApiProblem.of(refused));
        }
    }

    private Response invalid(Viewer viewer, SegmentForm form, RulePreview preview) {
        return Response.status(400).entity(Templates.segmentForm(viewer, form, preview).setLocale(viewer.locale())).build();
    }
}
