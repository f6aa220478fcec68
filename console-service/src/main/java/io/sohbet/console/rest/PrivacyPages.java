package io.sohbet.console.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.sohbet.console.client.ApiProblem;
import io.sohbet.console.client.ConsentApi;
import io.sohbet.console.client.ConsentViews;
import io.sohbet.console.service.DsrForm;
import io.sohbet.console.service.DsrRow;
import io.sohbet.console.service.Viewer;
import io.sohbet.console.service.Viewers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.ClientWebApplicationException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The privacy officer's pages, each from consent-service as the signed-in user: the data-subject request queue with
 * the days left to each deadline, filing a request and following it, a subject's consent with its proof and history,
 * the audit log and its verification, the destruction records and the İYS sync state.
 */
@Path("/privacy")
@RolesAllowed({"privacy-officer", "admin"})
@Produces(MediaType.TEXT_HTML)
public class PrivacyPages {

    static final String SUBJECT = "[A-Za-z0-9_-]{16,64}";
    static final String REQUEST_ID = "[0-9a-f-]{36}";
    private static final List<String> STATUSES = List.of("received", "in-progress", "completed", "failed");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance requests(Viewer viewer, List<DsrRow> rows, String status, DsrForm form);

        static native TemplateInstance requestForm(Viewer viewer, DsrForm form);

        static native TemplateInstance request(Viewer viewer, DsrRow row);

        static native TemplateInstance consents(Viewer viewer, String subjectId, ConsentViews.Consent consent, String error);

        static native TemplateInstance consentResult(Viewer viewer, ConsentViews.Consent consent, String error);

        static native TemplateInstance audit(Viewer viewer, List<ConsentViews.AuditEntry> entries, Long next);

        static native TemplateInstance verification(Viewer viewer, ConsentViews.Verification verification);

        static native TemplateInstance destruction(Viewer viewer, List<ConsentViews.Destruction> records, String from,
                String to, String error);

        static native TemplateInstance iys(Viewer viewer, ConsentViews.IysReport report);
    }

    private final ConsentApi consent;
    private final Viewers viewers;

    public PrivacyPages(@RestClient ConsentApi consent, Viewers viewers) {
        this.consent = consent;
        this.viewers = viewers;
    }

    @GET
    @Path("dsr")
    public Response requests(@QueryParam("status") String status) {
        Viewer viewer = viewers.current();
        String filter = status == null || status.isBlank() ? null : status;
        if (filter != null && !STATUSES.contains(filter)) {
            return Response.status(400).entity(Templates.requests(viewer, List.of(), status, DsrForm.empty())
                    .setLocale(viewer.locale())).build();
        }
        Instant now = Instant.now();
        List<DsrRow> rows = consent.requests(filter, 200).stream().map(r -> DsrRow.of(r, now, viewer.zone())).toList();
        return Response.ok(Templates.requests(viewer, rows, filter, DsrForm.empty()).setLocale(viewer.locale())).build();
    }

    /** Files an access or erasure request; on success the browser goes to the request's page (HX-Redirect). */
    @POST
    @Path("dsr")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response file(@FormParam("type") String type, @FormParam("phone") String phone, @FormParam("country") String country) {
        Viewer viewer = viewers.current();
        Map<String, String> errors = new LinkedHashMap<>();
        String kind = type == null ? "" : type.trim();
        String number = phone == null ? "" : phone.trim();
        String region = country == null ? "" : country.trim().toUpperCase(java.util.Locale.ROOT);
        if (!List.of("access", "erasure").contains(kind)) {
            errors.put("type", viewer.english() ? "choose access or erasure" : "erişim ya da silme seçin");
        }
        if (number.isEmpty() || number.length() > 40) {
            errors.put("phone", viewer.english() ? "give the person's phone (up to 40 characters)"
                    : "kişinin telefonunu girin (en çok 40 karakter)");
        }
        if (!region.isEmpty() && !region.matches("[A-Z]{2}")) {
            errors.put("country", viewer.english() ? "a two-letter country code such as TR" : "TR gibi iki harfli ülke kodu");
        }
        DsrForm form = new DsrForm(kind, number, region, null, errors);
        if (!errors.isEmpty()) {
            return invalid(viewer, form);
        }
        try {
            ConsentViews.Dsr filed = consent.submit(new ConsentViews.DsrSubmission(kind, number, region.isEmpty() ? null : region, null));
            return Response.ok().header("HX-Redirect", "/privacy/dsr/" + filed.id()).build();
        } catch (ClientWebApplicationException refused) {
            int status = refused.getResponse().getStatus();
            if (status != 400 && status != 404 && status != 409) {
                throw refused;
            }
            ApiProblem problem = ApiProblem.of(refused);
            return invalid(viewer, new DsrForm(kind, number, region, problem.detail(), problem.fields()));
        }
    }

    private Response invalid(Viewer viewer, DsrForm form) {
        return Response.status(400).entity(Templates.requestForm(viewer, form).setLocale(viewer.locale())).build();
    }

    @GET
    @Path("dsr/{id}")
    public Response request(@PathParam("id") String id) {
        Viewer viewer = viewers.current();
        if (!id.matches(REQUEST_ID)) {
            return Response.status(404).build();
        }
        DsrRow row = DsrRow.of(consent.request(id), Instant.now(), viewer.zone());
        return Response.ok(Templates.request(viewer, row).setLocale(viewer.locale())).build();
    }

    @GET
    @Path("consents")
    public Response consents(@QueryParam("subjectId") String subjectId) {
        Viewer viewer = viewers.current();
        if (subjectId == null || subjectId.isBlank()) {
            return Response.ok(Templates.consents(viewer, "", null, null).setLocale(viewer.locale())).build();
        }
        String subject = subjectId.trim();
        if (!subject.matches(SUBJECT)) {
            String error = viewer.english() ? "a subject id is 16 to 64 letters, digits, - or _"
                    : "özne kimliği 16-64 harf, rakam, - ya da _ olur";
            return Response.status(400).entity(Templates.consents(viewer, subject, null, error).setLocale(viewer.locale())).build();
        }
        try {
            return Response.ok(Templates.consents(viewer, subject, consent.consent(subject), null).setLocale(viewer.locale())).build();
        } catch (ClientWebApplicationException refused) {
            if (refused.getResponse().getStatus() != 404) {
                throw refused;
            }
            String error = viewer.english() ? "no consent was ever recorded for this subject" : "bu özne için hiç rıza kaydı yok";
            return Response.status(404).entity(Templates.consents(viewer, subject, null, error).setLocale(viewer.locale())).build();
        }
    }

    /**
     * A person's consent looked up by phone (consent-service's {@code POST /api/subjects/lookup}, which audits it): the
     * phone travels in the form's body and the API's, never in a URL; the answer replaces the result region of the
     * consent page (htmx). An unknown number is a 404 with nothing more.
     */
    @POST
    @Path("consents")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response lookUp(@FormParam("phone") String phone, @FormParam("country") String country) {
        Viewer viewer = viewers.current();
        String number = phone == null ? "" : phone.trim();
        String region = country == null ? "" : country.trim().toUpperCase(java.util.Locale.ROOT);
        if (number.isEmpty() || number.length() > 40) {
            return result(viewer, 400, null, viewer.english() ? "give the person's phone (up to 40 characters)"
                    : "kişinin telefonunu girin (en çok 40 karakter)");
        }
        if (!region.isEmpty() && !region.matches("[A-Z]{2}")) {
            return result(viewer, 400, null, viewer.english() ? "a two-letter country code such as TR" : "TR gibi iki harfli ülke kodu");
        }
        try {
            return result(viewer, 200, consent.lookup(new ConsentViews.Lookup(number, region.isEmpty() ? null : region)), null);
        } catch (ClientWebApplicationException refused) {
            int status = refused.getResponse().getStatus();
            if (status == 404) {
                return result(viewer, 404, null, viewer.english() ? "no consent was ever recorded for this number"
                        : "bu numara için hiç rıza kaydı yok");
            }
            if (status != 400) {
                throw refused;
            }
            ApiProblem problem = ApiProblem.of(refused);
            String detail = problem.fields().isEmpty() ? problem.detail() : String.join("; ", problem.fields().values());
            return result(viewer, 400, null, detail);
        }
    }

    private static Response result(Viewer viewer, int status, ConsentViews.Consent found, String error) {
        return Response.status(status).entity(Templates.consentResult(viewer, found, error).setLocale(viewer.locale())).build();
    }

    @GET
    @Path("audit")
    public Response audit(@QueryParam("before") String before) {
        Viewer viewer = viewers.current();
        Long from = null;
        if (before != null && !before.isBlank()) {
            if (!before.matches("[1-9][0-9]{0,17}")) {
                return Response.status(400).entity(Templates.audit(viewer, List.of(), null).setLocale(viewer.locale())).build();
            }
            from = Long.valueOf(before);
        }
        int page = 50;
        List<ConsentViews.AuditEntry> entries = consent.audit(from, page);
        Long next = entries.size() == page ? entries.get(entries.size() - 1).seq() : null;
        return Response.ok(Templates.audit(viewer, entries, next).setLocale(viewer.locale())).build();
    }

    /** The verify button's answer: a fragment with consent-service's verification of the chain. */
    @GET
    @Path("audit/verify")
    public TemplateInstance verify() {
        Viewer viewer = viewers.current();
        return Templates.verification(viewer, consent.verify()).setLocale(viewer.locale());
    }

    /** Records of [from, to) as calendar days in the viewer's zone; both empty: consent-service's default (6 months). */
    @GET
    @Path("destruction-records")
    public Response destruction(@QueryParam("from") String from, @QueryParam("to") String to) {
        Viewer viewer = viewers.current();
        String start = from == null ? "" : from.trim();
        String end = to == null ? "" : to.trim();
        String since;
        String until;
        try {
            since = start.isEmpty() ? null : LocalDate.parse(start).atStartOfDay(viewer.zone()).toInstant().toString();
            until = end.isEmpty() ? null : LocalDate.parse(end).plusDays(1).atStartOfDay(viewer.zone()).toInstant().toString();
        } catch (DateTimeException e) {
            String error = viewer.english() ? "dates are written 2026-12-01" : "tarihler 2026-12-01 biçiminde yazılır";
            return Response.status(400).entity(Templates.destruction(viewer, List.of(), start, end, error)
                    .setLocale(viewer.locale())).build();
        }
        try {
            List<ConsentViews.Destruction> records = consent.destructionRecords(since, until, "json");
            return Response.ok(Templates.destruction(viewer, records, start, end, null).setLocale(viewer.locale())).build();
        } catch (ClientWebApplicationException refused) {
            if (refused.getResponse().getStatus() != 400) {
                throw refused;
            }
            ApiProblem problem = ApiProblem.of(refused);
            return Response.status(400).entity(Templates.destruction(viewer, List.of(), start, end,
                    problem.fields().isEmpty() ? problem.detail() : String.join("; ", problem.fields().values()))
                    .setLocale(viewer.locale())).build();
        }
    }

    @GET
    @Path("iys")
    public TemplateInstance iys() {
        Viewer viewer = viewers.current();
        return Templates.iys(viewer, consent.iysStatus()).setLocale(viewer.locale());
    }
}
