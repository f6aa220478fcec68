package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * Who is looking and how they read: their roles (which links and buttons appear), their language and their time zone
 * (every time on a page is shown in it, with the zone's name). Passed to every template as {@code viewer}.
 */
@TemplateData
public record Viewer(String user, Set<String> roles, Locale locale, ZoneId zone, String path) {

    public static final Set<String> PRIVACY = Set.of("privacy-officer", "admin");
    public static final Set<String> ANALYTICS = Set.of("analyst", "marketer", "admin");
    public static final Set<String> MARKETING = Set.of("marketer", "admin");

    private static final DateTimeFormatter TR = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm", Locale.forLanguageTag("tr"));
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);

    public boolean privacy() {
        return roles.stream().anyMatch(PRIVACY::contains);
    }

    public boolean analytics() {
        return roles.stream().anyMatch(ANALYTICS::contains);
    }

    public boolean marketing() {
        return roles.stream().anyMatch(MARKETING::contains);
    }

    public String zoneId() {
        return zone.getId();
    }

    public String lang() {
        return locale.getLanguage();
    }

    public boolean english() {
        return "en".equals(locale.getLanguage());
    }

    /** {@code true} on the page {@code prefix} names (the navigation's aria-current). */
    public boolean at(String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The instant in the viewer's zone, with the zone's id: "01.12.2026 09:30 Europe/Istanbul"; empty for none. */
    public String time(Instant instant) {
        if (instant == null) {
            return "";
        }
        return (english() ? EN : TR).format(instant.atZone(zone)) + " " + zone.getId();
    }

    /** The machine-readable form for {@code <time datetime>}. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
