package io.sohbet.console.service;

import io.sohbet.console.client.CampaignApi;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the campaign form into campaign-service's definition: variant A (and B when a template is chosen for it, with
 * its split weight), hold-out, the A/B test, the schedule (a start in the viewer's time zone), quiet hours and the
 * frequency cap, each variant's tracked link (on a URL button of its template), the CSAT survey after the campaign
 * and the send path (Cloud API messages or Marketing Messages). The console checks only what it must to build the JSON (numbers, dates, times); campaign-service
 * validates the definition and its answer is shown beside the fields.
 */
public final class CampaignDrafts {

    /** The definition, or the fields the console could not read. */
    public record Result(CampaignApi.Definition definition, Map<String, String> errors) {
    }

    private CampaignDrafts() {
    }

    public static Result of(CampaignForm form, ZoneId zone, boolean english) {
        Map<String, String> errors = new LinkedHashMap<>();
        Integer holdout = number(form.value("holdoutPercent"), 0, 50, "holdoutPercent", errors, english);
        List<CampaignApi.Variant> variants = new ArrayList<>();
        variant(form, "variantA", "a", variants, errors, english);
        if (!form.value("variantB.template").isEmpty()) {
            variant(form, "variantB", "b", variants, errors, english);
        }
        CampaignApi.AbTest ab = null;
        if (form.is("abTest", "on")) {
            Integer percent = number(form.value("abTest.testPercent"), 1, 90, "abTest", errors, english);
            Integer hours = number(form.value("abTest.duration"), 1, 168, "abTest", errors, english);
            ab = new CampaignApi.AbTest(percent == null ? 0 : percent, hours == null ? null : "PT" + hours + "H",
                    blankToNull(form.value("abTest.metric")), blankToNull(form.value("abTest.fallback")));
        }
        CampaignApi.Schedule schedule = schedule(form, zone, errors, english);
        CampaignApi.QuietHours quiet = switch (form.value("quietHours")) {
            case "off" -> new CampaignApi.QuietHours(false, null, null);
            case "on" -> new CampaignApi.QuietHours(true, time(form.value("quietHours.start"), "quietHours", errors, english),
                    time(form.value("quietHours.end"), "quietHours", errors, english));
            default -> null;
        };
        CampaignApi.FrequencyCap cap = null;
        if (!form.value("cap.messages").isEmpty() || !form.value("cap.period").isEmpty()) {
            Integer messages = number(form.value("cap.messages"), 1, 1000, "cap", errors, english);
            Integer days = number(form.value("cap.period"), 1, 90, "cap", errors, english);
            cap = new CampaignApi.FrequencyCap(messages == null ? 0 : messages, days == null ? null : "P" + days + "D");
        }
        String sendPath = form.value("sendPath");
        if (!sendPath.isEmpty() && !List.of("messages", "marketing_messages").contains(sendPath)) {
            errors.put("delivery", english ? "choose the Cloud API or Marketing Messages" : "Cloud API ya da Marketing Messages seçin");
        }
        CampaignApi.Definition definition = new CampaignApi.Definition(form.value("name"),
                new CampaignApi.Audience(form.segments(), form.excludeSegments().isEmpty() ? null : form.excludeSegments(), holdout),
                variants, ab, schedule, quiet, cap, form.is("csatSurvey", "on") ? Boolean.TRUE : null,
                sendPath.isEmpty() || sendPath.equals("messages") ? null : sendPath);
        return new Result(definition, errors);
    }

    private static void variant(CampaignForm form, String group, String id, List<CampaignApi.Variant> out,
            Map<String, String> errors, boolean english) {
        String chosen = form.value(group + ".template");
        int bar = chosen.indexOf('|');
        if (bar <= 0) {
            errors.put(group, english ? "choose a template" : "bir şablon seçin");
            return;
        }
        Integer weight = number(form.value(group + ".weight"), 1, 1000, group, errors, english);
        List<String> body = Arrays.stream(form.value(group + ".body").split("\r?\n")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        CampaignApi.TrackedLink link = null;
        String target = form.value(group + ".link.target");
        if (!target.isEmpty()) {
            if (!target.startsWith("https://") && !target.startsWith("http://")) {
                errors.merge(group, english ? "the tracked link is an http(s) address" : "izlenen bağlantı bir http(s) adresi olur",
                        (a, b) -> a + "; " + b);
            }
            Integer button = number(form.value(group + ".link.button").isEmpty() ? "0" : form.value(group + ".link.button"), 0, 9,
                    group, errors, english);
            link = new CampaignApi.TrackedLink(id, target, button);
        }
        out.add(new CampaignApi.Variant(id, weight, new CampaignApi.Message("template",
                new CampaignApi.TemplateMessage(chosen.substring(0, bar), chosen.substring(bar + 1), body.isEmpty() ? null : body),
                link)));
    }

    private static CampaignApi.Schedule schedule(CampaignForm form, ZoneId zone, Map<String, String> errors, boolean english) {
        String mode = form.value("schedule.mode").isEmpty() ? "at" : form.value("schedule.mode");
        String at = null;
        if (!form.value("schedule.at").isEmpty()) {
            try {
                at = LocalDateTime.parse(form.value("schedule.at")).atZone(zone).toInstant().toString();
            } catch (DateTimeException e) {
                errors.put("schedule", english ? "a start such as 2026-12-01T10:00" : "2026-12-01T10:00 gibi bir başlangıç");
            }
        }
        String window = null;
        if (mode.equals("best-time")) {
            Integer hours = number(form.value("schedule.window"), 1, 168, "schedule", errors, english);
            window = hours == null ? null : "PT" + hours + "H";
        }
        String local = mode.equals("local-time") ? time(form.value("schedule.localTime"), "schedule", errors, english) : null;
        return new CampaignApi.Schedule(mode, at, window, local);
    }

    private static Integer number(String text, int min, int max, String group, Map<String, String> errors, boolean english) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.merge(group, english ? "a whole number from " + min + " to " + max : min + " ile " + max + " arası bir tam sayı",
                (a, b) -> a.equals(b) ? a : a + "; " + b);
        return null;
    }

    private static String time(String text, String group, Map<String, String> errors, boolean english) {
        try {
            return LocalTime.parse(text).toString();
        } catch (DateTimeException e) {
            errors.put(group, english ? "a time such as 21:00" : "21:00 gibi bir saat");
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
