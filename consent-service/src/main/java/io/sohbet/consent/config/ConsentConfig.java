package io.sohbet.consent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Configuration of consent-service ({@code sohbet.consent.*}). */
@ConfigMapping(prefix = "sohbet.consent")
public interface ConsentConfig {

    /** The name of this service in audit entries and events. */
    @WithDefault("consent-service")
    String serviceName();

    /** Secret shared by the services that see phone numbers; subject id = HMAC-SHA256(pepper, E.164 phone). */
    String pepper();

    /** Region used to read phone numbers written without a country code. */
    @WithDefault("TR")
    String defaultRegion();

    /** The master key that wraps subjects' data keys: 32 bytes, base64. A Kubernetes Secret in production. */
    String masterKey();

    /** The id of {@link #masterKey()}, stored beside every key it wraps so that it can be rotated. */
    @WithDefault("k1")
    String masterKeyId();

    /** Earlier master keys, still accepted for unwrapping during a rotation: {@code id:base64} each. */
    Optional<List<String>> previousMasterKeys();

    /** Most subject ids one key request may name. */
    @WithDefault("1000")
    int maxKeyBatch();

    /** Services that must acknowledge an erasure before it is complete. */
    @WithDefault("webhook-service,metrics-service,segment-service,campaign-service")
    List<String> erasureParticipants();
}
