package io.sohbet.console.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.sohbet.console.service.Viewer;
import io.sohbet.console.service.Viewers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** The start page (what this user may open) and the language switch. */
@Path("/")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Viewer viewer);
    }

    private final Viewers viewers;

    public HomePage(Viewers viewers) {
        this.viewers = viewers;
    }

    @GET
    public TemplateInstance home() {
        Viewer viewer = viewers.current();
        return Templates.home(viewer).setLocale(viewer.locale());
    }

    /** Sets the language (tr or en; a preference, not a change of data) and goes back to the start page. */
    @GET
    @Path("preferences")
    public Response preferences(@QueryParam("lang") String lang) {
        String chosen = "en".equals(lang) ? "en" : "tr";
        return Response.seeOther(URI.create("/"))
                .cookie(new NewCookie.Builder(Viewers.LANG_COOKIE).value(chosen).path("/").maxAge(365 * 24 * 3600)
                        .sameSite(NewCookie.SameSite.LAX).build())
                .build();
    }
}
