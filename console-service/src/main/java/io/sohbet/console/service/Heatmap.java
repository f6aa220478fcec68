package io.sohbet.console.service;

import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads by day × hour as an SVG grid: one row per day (and one for the whole range), 24 columns of hours in the
 * metrics time zone, each cell exactly the API's count with a {@code <title>}; the shade is one of five steps of the
 * cell's share of the largest cell. The table beside it carries the same numbers.
 */
@TemplateData
public record Heatmap(String timeZone, List<Row> rows, int width, int height) {

    public static final int CELL = 22;
    public static final int LABEL = 96;
    public static final int TOP = 18;

    @TemplateData
    public record Cell(int hour, long reads, int x, int y, int shade) {
    }

    @TemplateData
    public record Row(String label, List<Cell> cells, int y) {
    }

    public record Day(String label, long[] hourly) {
    }

    public static Heatmap of(String timeZone, List<Day> days) {
        long max = 1;
        for (Day day : days) {
            for (long reads : day.hourly()) {
                max = Math.max(max, reads);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < days.size(); r++) {
            Day day = days.get(r);
            int y = TOP + r * CELL;
            List<Cell> cells = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                long reads = h < day.hourly().length ? day.hourly()[h] : 0;
                int shade = reads == 0 ? 0 : (int) Math.min(4, 1 + (reads * 4 - 1) / max);
                cells.add(new Cell(h, reads, LABEL + h * CELL, y, shade));
            }
            rows.add(new Row(day.label(), cells, y));
        }
        return new Heatmap(timeZone, rows, LABEL + 24 * CELL, TOP + days.size() * CELL);
    }

    /** The 24 hour columns: the hour, its column's x, and whether the axis prints it (every third). */
    @TemplateData
    public record Hour(int hour, int x, boolean labelled) {
    }

    public List<Hour> hours() {
        List<Hour> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            hours.add(new Hour(h, LABEL + h * CELL, h % 3 == 0));
        }
        return hours;
    }
}
