package io.sohbet.events;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;

/**
 * Kafka value deserializer for {@link CloudEvent}s. A record that is not a valid envelope raises a
 * {@link SerializationException}; Quarkus consumers route it to the dead-letter topic.
 */
public class CloudEventDeserializer implements Deserializer<CloudEvent> {

    @Override
    public CloudEvent deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return EventJson.MAPPER.readValue(bytes, CloudEvent.class);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("record on " + topic + " is not a Sohbet CloudEvent: " + e.getMessage(), e);
        }
    }
}
