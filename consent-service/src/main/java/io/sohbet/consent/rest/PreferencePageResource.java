package io.sohbet.consent.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.sohbet.consent.config.ConsentConfig;
import io.sohbet.consent.domain.PreferenceLink;
import io.sohbet.consent.service.PreferenceLinks;
import io.sohbet.consent.service.PreferencePage;
import io.sohbet.kit.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The public preference page (docs/preference-page.md): no OIDC, the link's token and then the session cookie are the
 * only credentials. {@code GET /preferences/{token}} only shows a button (a scanner or preview that fetches the link must
 * not burn it); the button posts to the same address, which uses the link up, sets the session cookie and answers 303
 * to the page (a same-site hop: the SameSite=Strict cookie is sent, as it would not be during a cross-site redirect
 * chain straight from WhatsApp); {@code GET /preferences} shows the page within the session, {@code POST /preferences} grants or
 * withdraws one purpose (CSRF token checked) and answers 303 back to the page. Unknown links: 404; used, expired or
 * revoked ones and ended sessions: 410; all with the same page, saying nothing about whether a person exists.
 */
@Path("/preferences")
@Tag(name = "Preference page")
@PermitAll
public class PreferencePageResource {

    static final String COOKIE = "sohbet_preferences";
    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("dd.MM.yyyy HH:mm").withZone(java.time.ZoneId.of("Europe/Istanbul"));
    private static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";
    private static final Map<String, String[]> PURPOSES = Map.of(
            "marketing", new String[] {"Pazarlama mesajları", "Kampanya ve fırsat mesajları (WhatsApp)",
                    "Marketing messages", "Campaigns and offers (WhatsApp)"},
            "analytics", new String[] {"Analiz", "Mesajlarımızın nasıl okunduğunu ölçmek",
                    "Analytics", "Measuring how our messages are read"},
            "profiling", new String[] {"Profilleme ve kişiselleştirme", "İlgi alanlarınıza göre içerik seçmek",
                    "Profiling and personalisation", "Choosing content by your interests"});

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(PreferencePageView v);

        static native TemplateInstance message(PreferencePageView.Message m);

        static native TemplateInstance open(PreferencePageView.Open o);
    }

    private final PreferenceLinks links;
    private final PreferencePage page;
    private final boolean secureCookie;

    public PreferencePageResource(PreferenceLinks links, PreferencePage page, ConsentConfig config) {
        this.links = links;
        this.page = page;
        this.secureCookie = config.preferences().baseUrl().map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(true);
    }

    @GET
    @Path("/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Show a preference link's open button", description = "Does not use the link: a link checker, a "
            + "security scanner or a preview that fetches it leaves it usable. The page has one button that posts to the "
            + "same address, which uses the link up.")
    @APIResponse(responseCode = "200", description = "The page with the open button")
    @APIResponse(responseCode = "404", description = "No such link")
    @APIResponse(responseCode = "410", description = "The link was used, expired or revoked")
    public Uni<Response> offer(@PathParam("token") String token, @QueryParam("lang") String lang) {
        return links.check(token).map(link -> {
                    boolean english = lang == null || !lang.matches("tr|en") ? "ENGLISH".equals(link.language) : lang.equals("en");
                    PreferencePageView.Words w = english ? PreferencePageView.Words.ENGLISH : PreferencePageView.Words.TURKISH;
                    return page(Response.ok(Templates.open(new PreferencePageView.Open(w, english ? "en" : "tr",
                            english ? "tr" : "en", "/preferences/" + token)).render()));
                })
                .onFailure(PreferenceLinks.LinkRefusedException.class).recoverWithItem(PreferencePageResource::refused);
    }

    @POST
    @Path("/{token}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Open a preference link", description = "The first open of a link before it expires uses it up, "
            + "starts a short session (HttpOnly, SameSite=Strict cookie) and sends the browser to the page. Form field lang "
            + "(tr, en), optional.")
    @APIResponse(responseCode = "303", description = "To the page, with the session cookie")
    @APIResponse(responseCode = "404", description = "No such link")
    @APIResponse(responseCode = "410", description = "The link was used, expired or revoked")
    public Uni<Response> open(@PathParam("token") String token, @FormParam("lang") String lang, @Context HttpServerRequest request) {
        return links.open(token)
                .map(opened -> Response.seeOther(URI.create("/preferences?lang="
                                + (lang != null && lang.matches("tr|en") ? lang : language(opened.link()))))
                        .header("Set-Cookie", cookie(opened.sessionSecret(),
                                Duration.between(Instant.now(), opened.link().sessionExpiresAt), request)).build())
                .onFailure(PreferenceLinks.LinkRefusedException.class).recoverWithItem(PreferencePageResource::refused);
    }

    @HEAD
    @Path("/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Check a preference link without using it", description = "The status the GET would get "
            + "(200, 404 or 410), no body; the link stays usable.")
    @APIResponse(responseCode = "200", description = "The link would open")
    @APIResponse(responseCode = "404", description = "No such link")
    @APIResponse(responseCode = "410", description = "The link was used, expired or revoked")
    public Uni<Response> check(@PathParam("token") String token) {
        return links.check(token).map(link -> page(Response.ok()))
                .onFailure(PreferenceLinks.LinkRefusedException.class).recoverWithItem(PreferencePageResource::refused);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The preference page, within a session")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "410", description = "No session, or it ended")
    public Uni<Response> show(@CookieParam(COOKIE) String session, @QueryParam("lang") String lang, @QueryParam("done") String done) {
        return links.session(session).flatMap(link -> link == null ? Uni.createFrom().item(refused(410))
                : render(link, session, lang, done, 200));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, Problem.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    @Operation(summary = "Grant or withdraw one purpose", description = "Form fields csrf, purpose (marketing, analytics, "
            + "profiling), action (grant, withdraw), lang (tr, en). Recorded in the consent ledger with source preference-page.")
    @APIResponse(responseCode = "303", description = "Recorded; back to the page")
    @APIResponse(responseCode = "400", description = "Invalid purpose, action or language")
    @APIResponse(responseCode = "403", description = "Missing or wrong CSRF token")
    @APIResponse(responseCode = "409", description = "A grant of a purpose without a configured notice, or through a link "
            + "the person did not ask for themselves (withdraw-only)")
    @APIResponse(responseCode = "410", description = "No session, or it ended")
    public Uni<Response> change(@CookieParam(COOKIE) String session, @FormParam("csrf") String csrf,
            @FormParam("purpose") String purpose, @FormParam("action") String action, @FormParam("lang") String lang,
            @Context HttpHeaders headers, @Context HttpServerRequest request) {
        return links.session(session).flatMap(link -> {
            if (link == null) {
                return Uni.createFrom().item(refused(410));
            }
            if (!PreferenceLinks.csrfMatches(session, csrf)) {
                return Uni.createFrom().item(problem(headers, 403, "Forbidden", "The form is not from this session.",
                        "Bu form bu oturumdan değil. Sayfayı yeniden açın.", "This form is not from this session. Open the page again."));
            }
            if (purpose == null || !PreferencePage.PURPOSES.contains(purpose) || action == null
                    || !(action.equals("grant") || action.equals("withdraw")) || (lang != null && !lang.matches("tr|en|"))) {
                return Uni.createFrom().item(problem(headers, 400, "Bad Request",
                        "purpose must be marketing, analytics or profiling; action grant or withdraw; lang tr or en",
                        "Geçersiz istek.", "Invalid request."));
            }
            String language = lang == null || lang.isEmpty() ? language(link) : lang;
            return page.change(link, purpose, action.equals("grant"), request.getHeader(HttpHeaders.USER_AGENT),
                            request.remoteAddress() == null ? null : request.remoteAddress().hostAddress())
                    .map(saved -> Response.seeOther(URI.create("/preferences?lang=" + language + "&done=" + purpose)).build())
                    .onFailure(PreferenceLinks.LinkRefusedException.class).recoverWithItem(() -> refused(410))
                    .onFailure(PreferencePage.WithdrawOnlyException.class).recoverWithItem(() -> problem(headers, 409, "Conflict",
                            "This link was issued by someone else than the person: it only withdraws consent.",
                            "Bu bağlantıyla yalnızca izin geri çekilebilir. İzin vermek için WhatsApp'tan TERCİHLERİM yazıp kendi "
                                    + "bağlantınızı isteyin.",
                            "This link can only withdraw consent. To give consent, write PREFERENCES on WhatsApp for a link of "
                                    + "your own."))
                    .onFailure(PreferencePage.NoNoticeException.class).recoverWithItem(() -> problem(headers, 409, "Conflict",
                            "No notice is configured for this purpose: consent cannot be given on this page.",
                            "Bu amaç için aydınlatma metni tanımlı olmadığından burada izin verilemez.",
                            "No notice is configured for this purpose, so consent cannot be given here."));
        });
    }

    private Uni<Response> render(PreferenceLink link, String session, String lang, String done, int status) {
        boolean english = lang == null || !lang.matches("tr|en") ? "ENGLISH".equals(link.language) : lang.equals("en");
        PreferencePageView.Words w = english ? PreferencePageView.Words.ENGLISH : PreferencePageView.Words.TURKISH;
        return page.purposes(link).map(purposes -> {
            List<PreferencePageView.Row> rows = purposes.stream().map(p -> row(p, english)).toList();
            String message = done != null && PreferencePage.PURPOSES.contains(done)
                    ? (english ? "Saved: " : "Kaydedildi: ") + name(done, english) + " — " + rows.stream()
                    .filter(r -> r.key().equals(done)).findFirst().map(PreferencePageView.Row::state).orElse("") : null;
            PreferencePageView view = new PreferencePageView(w, english ? "en" : "tr", english ? "tr" : "en",
                    PreferenceLinks.csrf(session), message, rows);
            return page(Response.status(status).entity(Templates.page(view).render()));
        });
    }

    private static PreferencePageView.Row row(PreferencePage.Purpose p, boolean english) {
        String state = p.current() == null ? (english ? "not given" : "verilmedi")
                : p.granted() ? (english ? "given" : "izin verildi") : (english ? "withdrawn" : "geri çekildi");
        String since = p.current() == null ? null : WHEN.format(p.current().capturedAt);
        String under = p.granted() && p.current().noticeVersion != null
                ? p.current().noticeId + " " + p.current().noticeVersion : null;
        return new PreferencePageView.Row(p.purpose(), name(p.purpose(), english), PURPOSES.get(p.purpose())[english ? 3 : 1],
                state, p.granted(), since, under, p.notice() != null && !p.withdrawOnly(), p.withdrawOnly(),
                p.notice() == null ? null : p.notice().id(),
                p.notice() == null ? null : p.notice().version(),
                p.notice() == null ? null : p.notice().url().map(URI::toString).orElse(null));
    }

    private static String name(String purpose, boolean english) {
        return PURPOSES.get(purpose)[english ? 2 : 0];
    }

    private static String language(PreferenceLink link) {
        return "ENGLISH".equals(link.language) ? "en" : "tr";
    }

    private String cookie(String secret, Duration lifetime, HttpServerRequest request) {
        boolean secure = secureCookie || "https".equalsIgnoreCase(request.scheme());
        return COOKIE + "=" + secret + "; Path=/preferences; Max-Age=" + Math.max(1, lifetime.toSeconds())
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static Response refused(Throwable refusal) {
        return refused(((PreferenceLinks.LinkRefusedException) refusal).refusal() == PreferenceLinks.Refusal.UNKNOWN ? 404 : 410);
    }

    private static Response refused(int status) {
        PreferencePageView.Message m = status == 404
                ? new PreferencePageView.Message("Bağlantı bulunamadı", "Bu bağlantı geçerli değil. Yeni bir bağlantı için "
                        + "WhatsApp'tan TERCİHLERİM yazın.", "Link not found", "This link is not valid. For a new link, write "
                        + "PREFERENCES on WhatsApp.")
                : new PreferencePageView.Message("Bağlantının süresi doldu", "Bu bağlantı kullanıldı ya da süresi doldu. Yeni bir "
                        + "bağlantı için WhatsApp'tan TERCİHLERİM yazın.", "This link has expired", "This link was already used "
                        + "or has expired. For a new link, write PREFERENCES on WhatsApp.");
        return page(Response.status(status).entity(Templates.message(m).render()));
    }

    /** A 4xx as an HTML page for browsers, or problem+json for a client that asks for JSON and not HTML. */
    private static Response problem(HttpHeaders headers, int status, String title, String detail, String textTr, String textEn) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("json") && !accept.contains("html")) {
            return Problem.response(status, title, detail);
        }
        PreferencePageView.Message m = new PreferencePageView.Message(status == 403 ? "İstek reddedildi" : "Geçersiz istek",
                textTr, status == 403 ? "Request refused" : "Invalid request", textEn);
        return page(Response.status(status).entity(Templates.message(m).render()));
    }

    /**
     * A page: HTML. Its other headers (not cached, no referrer, only this origin's stylesheet, no scripts, no framing,
     * HSTS) are set for every response under /preferences, the framework's error pages included, by the
     * {@code quarkus.http.filter.preference-page} settings in application.properties.
     */
    private static Response page(Response.ResponseBuilder builder) {
        return builder.type(HTML).build();
    }
}
