package io.sohbet.console.service;

import io.quarkus.security.identity.SecurityIdentity;
import io.sohbet.console.config.ConsoleConfig;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;

/**
 * The {@link Viewer} of the current request: roles from the access token, language from the {@code lang} cookie
 * (Turkish unless it says {@code en}), time zone from the {@code tz} cookie that {@code /static/console.js} sets from the
 * browser (the configured default until then, or when it is not a valid zone id).
 */
@RequestScoped
public class Viewers {

    public static final String LANG_COOKIE = "lang";
    public static final String ZONE_COOKIE = "tz";

    private final SecurityIdentity identity;
    private final HttpServerRequest request;
    private final ConsoleConfig config;

    public Viewers(SecurityIdentity identity, HttpServerRequest request, ConsoleConfig config) {
        this.identity = identity;
        this.request = request;
        this.config = config;
    }

    public Viewer current() {
        return new Viewer(identity.isAnonymous() ? "" : identity.getPrincipal().getName(), Set.copyOf(identity.getRoles()),
                locale(), zone(), request.path());
    }

    public Locale locale() {
        Cookie lang = request.getCookie(LANG_COOKIE);
        return lang != null && "en".equals(lang.getValue()) ? Locale.ENGLISH : Locale.forLanguageTag("tr");
    }

    private ZoneId zone() {
        Cookie tz = request.getCookie(ZONE_COOKIE);
        if (tz == null || tz.getValue().isBlank() || tz.getValue().length() > 64) {
            return config.defaultTimeZone();
        }
        try {
            return ZoneId.of(java.net.URLDecoder.decode(tz.getValue(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (DateTimeException | IllegalArgumentException e) {
            return config.defaultTimeZone();
        }
    }
}
