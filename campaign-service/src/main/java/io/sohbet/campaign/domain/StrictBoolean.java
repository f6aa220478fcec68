package io.sohbet.campaign.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * A JSON {@code true} or {@code false}, nothing else: Jackson would otherwise take {@code "true"}, {@code 1} or
 * {@code "yes"}-like strings for a boolean, and a flag that changes what is counted should not be guessed. Null or
 * absent is false.
 */
public final class StrictBoolean extends StdDeserializer<Boolean> {

    public StrictBoolean() {
        super(Boolean.class);
    }

    @Override
    public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        return (Boolean) ctxt.handleUnexpectedToken(Boolean.class, token, p, "must be true or false");
    }

    @Override
    public Boolean getNullValue(DeserializationContext ctxt) {
        return Boolean.FALSE;
    }
}
