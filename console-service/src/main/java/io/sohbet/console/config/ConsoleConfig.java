package io.sohbet.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.ZoneId;
import java.util.Optional;

/** console-service's settings ({@code sohbet.console.*}). */
@ConfigMapping(prefix = "sohbet.console")
public interface ConsoleConfig {

    /**
     * Where the console is reached ({@code https://console.example.com}): a POST, PUT, PATCH or DELETE must carry this
     * {@code Origin}. Absent: the request's own origin (scheme and Host header).
     */
    Optional<String> publicOrigin();

    /** The time zone times are shown in until the browser has told the console the user's own. */
    @WithDefault("Europe/Istanbul")
    ZoneId defaultTimeZone();
}
