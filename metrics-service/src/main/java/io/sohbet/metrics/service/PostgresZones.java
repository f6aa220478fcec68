package io.sohbet.metrics.service;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The business time zone as PostgreSQL must be told it ({@code AT TIME ZONE}), so that it means what it means in
 * Java. A region id ({@code Europe/Istanbul}) is the same in both. A fixed offset is not: Java reads
 * {@code UTC+03:00} or {@code +03:00} as three hours east of UTC, PostgreSQL reads such text as a POSIX zone, three
 * hours west. A fixed offset is therefore given as a POSIX zone spelled out, whose offset is west-positive:
 * {@code <+0300>-03:00:00}.
 */
public final class PostgresZones {

    private PostgresZones() {
    }

    public static String of(ZoneId zone) {
        if (!(zone.normalized() instanceof ZoneOffset offset)) {
            return zone.getId();
        }
        int east = offset.getTotalSeconds();
        int west = Math.abs(east);
        String name = (east < 0 ? "-" : "+") + String.format("%02d%02d", west / 3600, west / 60 % 60);
        return String.format("<%s>%s%02d:%02d:%02d", name, east > 0 ? "-" : "+", west / 3600, west / 60 % 60, west % 60);
    }
}
