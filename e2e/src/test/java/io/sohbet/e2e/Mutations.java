package io.sohbet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid JSON body, for fuzzing: byte-level damage (flips, inserts, deletions, truncation) and
 * structure-level damage (a random node replaced by a value of the wrong type, an extreme number, a huge or
 * escape-laden string, deep nesting, a removed field). The same seed gives the same bodies.
 */
final class Mutations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;

    Mutations(long seed) {
        this.random = new Random(seed);
    }

    byte[] mutate(String valid) {
        return random.nextInt(3) == 0 ? bytes(valid.getBytes(StandardCharsets.UTF_8)) : structure(valid);
    }

    private byte[] bytes(byte[] body) {
        byte[] out = body.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> {
                int at = random.nextInt(out.length);
                byte[] grown = new byte[out.length + 1];
                System.arraycopy(out, 0, grown, 0, at);
                grown[at] = "{}[]\",:\\\u0000".getBytes(StandardCharsets.UTF_8)[random.nextInt(9)];
                System.arraycopy(out, at, grown, at + 1, out.length - at);
                out = grown;
            }
            case 2 -> {
                int at = random.nextInt(out.length);
                byte[] shrunk = new byte[out.length - 1];
                System.arraycopy(out, 0, shrunk, 0, at);
                System.arraycopy(out, at + 1, shrunk, at, out.length - at - 1);
                out = shrunk;
            }
            default -> {
                byte[] cut = new byte[random.nextInt(out.length)];
                System.arraycopy(out, 0, cut, 0, cut.length);
                out = cut;
            }
        }
        return out;
    }

    private byte[] structure(String valid) {
        try {
            JsonNode root = JSON.readTree(valid);
            List<ContainerNode<?>> parents = new ArrayList<>();
            collect(root, parents);
            ContainerNode<?> parent = parents.get(random.nextInt(parents.size()));
            if (parent instanceof ObjectNode object && object.size() > 0) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                if (random.nextInt(5) == 0) {
                    object.remove(name);
                } else {
                    object.set(name, strange());
                }
            } else if (parent instanceof ArrayNode array && array.size() > 0) {
                array.set(random.nextInt(array.size()), strange());
            }
            return JSON.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(JsonNode node, List<ContainerNode<?>> out) {
        if (node instanceof ContainerNode<?> container) {
            out.add(container);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private JsonNode strange() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(Long.MAX_VALUE);
            case 2 -> NODES.numberNode(-1);
            case 3 -> NODES.numberNode(1e308);
            case 4 -> NODES.textNode("x".repeat(random.nextInt(100_000)));
            case 5 -> NODES.textNode("\u0000\u202e\ud83d\ude00\\/<script>'; DROP TABLE x;--");
            case 6 -> NODES.booleanNode(true);
            case 7 -> NODES.arrayNode().add(NODES.objectNode());
            case 8 -> NODES.objectNode().put("unexpected", "field");
            case 9 -> {
                ArrayNode deep = NODES.arrayNode();
                ArrayNode at = deep;
                for (int i = 0; i < 900; i++) {
                    at = at.addArray();
                }
                yield deep;
            }
            case 10 -> NODES.textNode("");
            default -> NODES.textNode("2026-13-45T25:61:61Z");
        };
    }
}
