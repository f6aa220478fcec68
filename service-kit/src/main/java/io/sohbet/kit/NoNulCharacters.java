package io.sohbet.kit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * PostgreSQL cannot store the NUL character (U+0000) in text or jsonb: a request body that carries one is refused
 * when it is read (400 with the field's pointer), not by the database afterwards (500). Applies to every String
 * and every JSON tree the REST layer reads, in every service.
 */
@Singleton
public class NoNulCharacters implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("sohbet-no-nul-characters");
        module.addDeserializer(String.class, new Strings());
        module.addDeserializer(JsonNode.class, new Trees());
        mapper.registerModule(module);
    }

    static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(parser, "must not contain the NUL character (U+0000)", value, String.class);
            }
            return value;
        }
    }

    static final class Trees extends StdScalarDeserializer<JsonNode> {

        Trees() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(parser, context);
            if (hasNul(tree)) {
                throw InvalidFormatException.from(parser, "must not contain the NUL character (U+0000)", null, JsonNode.class);
            }
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext context) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }

        static boolean hasNul(JsonNode node) {
            if (node == null) {
                return false;
            }
            if (node.isTextual()) {
                return node.textValue().indexOf('\u0000') >= 0;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getKey().indexOf('\u0000') >= 0 || hasNul(field.getValue())) {
                        return true;
                    }
                }
                return false;
            }
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
            return false;
        }
    }
}
