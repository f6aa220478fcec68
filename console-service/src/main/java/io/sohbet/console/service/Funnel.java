package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;
import io.sohbet.console.client.MetricsViews;

import java.util.List;

/**
 * The delivery funnel of a campaign as horizontal SVG bars: sent, delivered, read, clicked, converted, each exactly the
 * API's count, each bar's length its share of the sent messages on a fixed 400-unit scale (deterministic: the same
 * figures draw the same picture).
 */
@TemplateData
public record Funnel(List<Step> steps, int height) {

    public static final int SCALE = 400;
    public static final int ROW = 28;

    @TemplateData
    public record Step(String key, long value, int y, int width, int textY) {
    }

    public static Funnel of(MetricsViews.Group overall) {
        if (overall == null) {
            return null;
        }
        long[] values = {overall.sent(), overall.delivered(), overall.read(), overall.clicked(), overall.converted()};
        String[] keys = {"sent", "delivered", "read", "clicked", "converted"};
        long max = Math.max(1, overall.sent());
        java.util.ArrayList<Step> steps = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            int width = (int) Math.min(SCALE, Math.round((double) values[i] * SCALE / max));
            int y = i * ROW;
            steps.add(new Step(keys[i], values[i], y, width, y + 18));
        }
        return new Funnel(List.copyOf(steps), values.length * ROW);
    }
}
