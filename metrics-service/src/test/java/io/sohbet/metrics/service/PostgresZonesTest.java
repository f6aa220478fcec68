package io.sohbet.metrics.service;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The business time zone means the same local time in PostgreSQL as in Java, whatever form it is configured in. A
 * fixed offset given as Java spells it ({@code UTC+03:00}, {@code +03:00}) is read by PostgreSQL as a POSIX zone,
 * whose sign is the other way round: read hours and send windows were six hours off in Istanbul's offset.
 */
@QuarkusTest
class PostgresZonesTest {

    @Inject
    Pool pool;

    @Test
    void everyFormOfZoneGivesPostgresTheLocalTimeJavaGives() throws Throwable {
        Instant at = Instant.parse("2026-11-02T07:40:00Z");
        for (String id : List.of("Europe/Istanbul", "UTC+03:00", "+03:00", "GMT-05:30", "UTC-08:00", "UTC", "Z", "+05:45",
                "Asia/Kolkata", "America/New_York", "UTC+14:00", "-09:30")) {
            ZoneId zone = ZoneId.of(id);
            LocalDateTime java = LocalDateTime.ofInstant(at, zone);
            assertThat(local(at, PostgresZones.of(zone))).as(id).isEqualTo(java);
        }
    }

    @Test
    void theJavaIdOfAnOffsetIsWhatWentWrong() throws Throwable {
        Instant at = Instant.parse("2026-11-02T07:40:00Z");
        // what the queries passed before: 04:40 instead of 10:40
        assertThat(local(at, ZoneId.of("UTC+03:00").getId()).getHour()).isEqualTo(4);
        assertThat(local(at, PostgresZones.of(ZoneId.of("UTC+03:00"))).getHour()).isEqualTo(10);
    }

    private LocalDateTime local(Instant at, String zone) throws Throwable {
        Row row = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("SELECT ($1::timestamptz AT TIME ZONE $2::text) AS local")
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), zone))).iterator().next();
        return row.getLocalDateTime("local");
    }
}
