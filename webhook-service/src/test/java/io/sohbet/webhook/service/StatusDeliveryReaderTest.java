package io.sohbet.webhook.service;

import io.sohbet.events.MessageIds;
import io.sohbet.events.SubjectIds;
import io.sohbet.webhook.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming pass over deliveries of statuses only gives exactly the events the tree reader gives (the same drafts,
 * the same bytes), or steps aside: for the project's payloads, the shared ones, the benchmark's and thousands of mutated
 * ones.
 */
class StatusDeliveryReaderTest {

    private static final SubjectResolver SUBJECTS = new SubjectResolver(
            new SubjectIds("unit-test-pepper-0123456789".getBytes(StandardCharsets.UTF_8)));
    private static final WhatsAppWebhookReader READER = new WhatsAppWebhookReader(SUBJECTS,
            MessageIds.withKey("unit-test-message-id-key-0123"));
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Sealer NO_SEALING = (subject, text) -> {
        throw new AssertionError("statuses have nothing to seal");
    };

    /** A delivery like the benchmark's: eight statuses of marketing messages, as Meta batches them. */
    static byte[] campaignDelivery(String state, long timestamp) {
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            statuses.append(i == 0 ? "" : ",").append("{\"id\":\"wamid.HBgMOTA1MzIxMjM0NTY3FQIAERgSQjg3RjM5OUE2RD").append(i)
                    .append("AA==\",\"status\":\"").append(state).append("\",\"timestamp\":\"").append(timestamp)
                    .append("\",\"recipient_id\":\"9053212345").append(i).append(i)
                    .append("\",\"conversation\":{\"id\":\"c").append(i).append("\",\"expiration_timestamp\":\"1\",\"origin\":{\"type\":\"marketing\"}},")
                    .append("\"biz_opaque_callback_data\":\"ş\\\"\\u00e7/").append(i).append("\",")
                    .append("\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"marketing\",\"type\":\"regular\"}}");
        }
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
                + "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"908505551234\","
                + "\"phone_number_id\":\"106540352242922\"},\"statuses\":[" + statuses + "]},\"field\":\"messages\"}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theBenchmarksDeliveriesAreReadInTheStreamingPassAsFromTheTree() {
        for (String state : List.of("sent", "delivered", "read")) {
            byte[] body = campaignDelivery(state, 1764583200L);
            assertThat(streamed(body)).as(state).isNotNull().hasSize(8);
            assertSameAsTree(body);
        }
    }

    @Test
    void deliveriesWithAnythingButPlainStatusesStepAside() {
        // messages and contacts, account fields, preferences, errors, BSUIDs, groups: the tree reader's
        for (String name : List.of("all_inbound_types.json", "all_inbound_types_meta_escaped.json", "template_status_update.json",
                "user_preferences_stop_resume.json", "status_bsuid_only.json", "status_phone_and_bsuid.json", "all_statuses.json")) {
            assertThat(streamed(Fixtures.own(name))).as(name).isNull();
        }
        String plain = new String(campaignDelivery("sent", 1764583200L), StandardCharsets.UTF_8);
        for (String changed : List.of(
                plain.replace("\"object\":\"whatsapp_business_account\"", "\"object\":\"page\""),
                plain.replace("\"field\":\"messages\"", "\"field\":\"statuses\""),
                plain.replace("\"recipient_id\":\"90532123450", "\"recipient_id\":\"\",\"recipient_user_id\":\"TR.1\",\"x\":\"0"),
                plain.replace("\"recipient_id\":\"9053212345", "\"recipient_id\":\"abc"),
                plain.replace("\"status\":\"sent\",", "\"status\":\"sent\",\"status\":\"read\","),
                plain.replace("\"billable\":true", "\"billable\":\"true\""),
                plain + " {}",
                plain.substring(0, plain.length() - 3))) {
            assertThat(streamed(changed.getBytes(StandardCharsets.UTF_8))).as(changed).isNull();
        }
    }

    @Test
    void everyProjectAndSharedPayloadGivesTheTreesEventsOrStepsAside() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        try (var files = Files.list(Path.of("src/test/resources/whatsapp"))) {
            for (Path file : files.sorted().toList()) {
                bodies.add(Files.readAllBytes(file));
            }
        }
        Path shared = Path.of(System.getProperty("sohbet.shared", "../../shared")).resolve("fixtures/whatsapp");
        if (Files.isDirectory(shared)) {
            try (var files = Files.list(shared)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    byte[] body = Files.readAllBytes(file);
                    bodies.add(body);
                    // some captures hold a placeholder instead of the number: with a number they are plain statuses
                    bodies.add(new String(body, StandardCharsets.UTF_8).replace("CUSTOMER_PHONE_NUMBER", "905321234567")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        // all_statuses.json without errors and BSUIDs: plain statuses with numeric and string timestamps
        String statuses = new String(Fixtures.own("all_statuses.json"), StandardCharsets.UTF_8);
        bodies.add(statuses.replace("\"errors\"", "\"not_errors\"").replace("\"recipient_user_id\"", "\"recipient_id\"")
                .replace("\"TR.1234567890\"", "\"905321234599\"").getBytes(StandardCharsets.UTF_8));
        int streamed = 0;
        for (byte[] body : bodies) {
            streamed += assertSameAsTree(body) ? 1 : 0;
        }
        assertThat(streamed).as("payloads read in the streaming pass").isGreaterThanOrEqualTo(2);
    }

    /**
     * The hand-written pass is never more lenient than Jackson: what the tree refuses it steps aside from, and what it
     * reads, in a place it reads or one it skips, the tree reads alike. Grammar corners, escapes, UTF-8 and limits.
     */
    @Test
    void jsonCornersAreReadAsJacksonReadsThemOrStepAside() {
        String plain = new String(campaignDelivery("sent", 1764583200L), StandardCharsets.UTF_8);
        String skipped = "\"messaging_product\":\"whatsapp\"";
        String read = "\"status\":\"sent\"";
        List<String> values = List.of("01", "-", "-0", "1.", ".5", "1e", "1e+", "1E-7", "-12.5e3", "+1", "0x10", "NaN",
                "tru", "truex", "nul", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":}", "[]", "{}", "[[[[]]]]",
                "\"\\x\"", "\"\\u00e7\\u015f\"", "\"\\ud83d\"", "\"\\ud83d\\ude00\"", "\"\\uZZZZ\"", "\"\\u00\"", "\"a\tb\"",
                "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"çşğ\"", "\"\u007f\"", "\"" + "9".repeat(120) + "\"", "1" + "0".repeat(120),
                "[".repeat(40) + "]".repeat(40), "[".repeat(20) + "]".repeat(20), "\"\\u0000\"", "'a'", "\"a\"/**/", "null");
        List<String> bodies = new ArrayList<>();
        for (String value : values) {
            bodies.add(plain.replace(skipped, "\"messaging_product\":" + value));
            bodies.add(plain.replace(read, "\"status\":" + value));
            bodies.add(plain.replace("\"biz_opaque_callback_data\":\"", "\"biz_opaque_callback_data\":" + value + ",\"x\":\""));
        }
        for (String timestamp : List.of("-0", "1764583200", "1.7645832e9", "17645832000000000000000", "01")) {
            bodies.add(plain.replace("\"timestamp\":\"1764583200\"", "\"timestamp\":" + timestamp));
        }
        for (String billable : List.of("truex", "null", "false", "0", "\"\"", "[]")) {
            bodies.add(plain.replace("\"billable\":true", "\"billable\":" + billable));
        }
        for (String key : List.of("me\ttadata", "meta\u007fdata", "x", "")) {
            bodies.add(plain.replace("\"metadata\"", "\"" + key + "\":1,\"" + key + "\":2,\"metadata\""));
        }
        bodies.add(plain.replace("\"messaging_product\":\"whatsapp\"", "\"messaging_product\":" + "[".repeat(70) + "]".repeat(70)));
        bodies.add(plain.replace("\"messaging_product\":\"whatsapp\"", "\"messaging_product\":" + "[".repeat(27) + "]".repeat(27)));
        bodies.add(plain.replace("\"messaging_product\":\"whatsapp\"", "\"messaging_product\":" + "[".repeat(26) + "]".repeat(26)));
        bodies.add("");
        bodies.add("   ");
        bodies.add("\uFEFF" + plain);
        bodies.add(" \n\t\r" + plain + " \n\t\r");
        bodies.add(plain + "\u0000");
        bodies.add(plain.replace("\"metadata\"", "\"met\\u0061data\""));
        bodies.add(plain.replace("\"metadata\"", "\"metadatá\""));
        bodies.add(plain.replace("\"metadata\"", "\"" + "k".repeat(60_000) + "\":1,\"metadata\""));
        bodies.add(plain.replace("\"metadata\"", "\"" + "k".repeat(900) + "\":1,\"metadata\""));
        int streamed = 0;
        for (String text : bodies) {
            streamed += sameAsTreeOrRefusedByBoth(text.getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
        }
        // overlong and broken UTF-8 in a text that is skipped and one that is read
        for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC3, (byte) 0xA7})) {
            for (String where : List.of("\"whatsapp\"", "\"106540352242922\"")) {
                String[] parts = plain.split(java.util.regex.Pattern.quote(where), 2);
                byte[] head = (parts[0] + where.substring(0, 2)).getBytes(StandardCharsets.UTF_8);
                byte[] tail = (where.substring(2) + parts[1]).getBytes(StandardCharsets.UTF_8);
                byte[] body = new byte[head.length + bad.length + tail.length];
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(bad, 0, body, head.length, bad.length);
                System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
                streamed += sameAsTreeOrRefusedByBoth(body) ? 1 : 0;
            }
        }
        assertThat(streamed).as("corners read in the streaming pass").isGreaterThan(20);
    }

    /** Whether the streaming pass read {@code body} (then as the tree does); when the tree refuses it, it must step aside. */
    private static boolean sameAsTreeOrRefusedByBoth(byte[] body) {
        boolean treeReads;
        try {
            WebhookJson.parse(body);
            treeReads = true;
        } catch (InvalidWebhookException e) {
            treeReads = false;
        }
        if (!treeReads) {
            assertThat(StatusDeliveryReader.read(body)).as(new String(body, StandardCharsets.UTF_8)).isNull();
            return false;
        }
        return assertSameAsTree(body);
    }

    @Test
    void mutatedStatusDeliveriesGiveTheTreesEventsOrStepAside() {
        Random random = new Random(20261201L);
        List<byte[]> seeds = List.of(campaignDelivery("read", 1764583200L),
                new String(Fixtures.own("all_statuses.json"), StandardCharsets.UTF_8).replace("\"errors\"", "\"x\"")
                        .getBytes(StandardCharsets.UTF_8));
        String[] fragments = {"null", "[]", "{}", "\"\"", "-1", "1e999", "\"\\ud83d\"", "true", "0", "\"group\"",
                "\"timestamp\":12", "\"recipient_type\":\"group\",", "\"pricing\":null,", "\"conversation\":{},", ",", ":"};
        int streamed = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] body = seeds.get(random.nextInt(seeds.size()));
            String text = new String(body, StandardCharsets.UTF_8);
            switch (random.nextInt(4)) {
                case 0 -> {
                    body = Arrays.copyOf(body, body.length);
                    for (int n = 1 + random.nextInt(3); n > 0; n--) {
                        body[random.nextInt(body.length)] = (byte) (32 + random.nextInt(95));
                    }
                }
                case 1 -> {
                    int at = random.nextInt(text.length());
                    body = (text.substring(0, at) + fragments[random.nextInt(fragments.length)] + text.substring(at))
                            .getBytes(StandardCharsets.UTF_8);
                }
                case 2 -> body = text.replaceFirst("\"(id|status|timestamp|recipient_id|recipient_type|billable|category|"
                        + "phone_number_id|field|object|type)\":\\s*(\"[^\"]*\"|true|\\d+)", "\"$1\":"
                        + fragments[random.nextInt(fragments.length)]).getBytes(StandardCharsets.UTF_8);
                default -> {
                    int from = random.nextInt(text.length());
                    int to = Math.min(text.length(), from + random.nextInt(24));
                    body = (text.substring(0, from) + text.substring(to)).getBytes(StandardCharsets.UTF_8);
                }
            }
            streamed += assertSameAsTree(body) ? 1 : 0;
        }
        assertThat(streamed).as("mutations still read in the streaming pass").isGreaterThan(100);
    }

    private static List<EventDraft> streamed(byte[] body) {
        List<StatusDeliveryReader.Item> items = StatusDeliveryReader.read(body);
        return items == null ? null : READER.readStatuses(items, NOW);
    }

    /** When the streaming pass reads {@code body}: the tree reads it too, asks nobody, and gives the same events. */
    private static boolean assertSameAsTree(byte[] body) {
        List<EventDraft> fast = streamed(body);
        if (fast == null) {
            return false;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        var root = WebhookJson.parse(body);
        assertThat(READER.identifiersToLookUp(root)).as("nobody to look up in %s", text).isEmpty();
        List<EventDraft> tree = READER.read(root, NOW);
        assertThat(fast).as(text).hasSameSizeAs(tree);
        for (int i = 0; i < tree.size(); i++) {
            EventDraft a = fast.get(i);
            EventDraft b = tree.get(i);
            assertThat(List.of(a.topic(), a.id(), a.key(), String.valueOf(a.subject()), String.valueOf(a.time()), a.personal()))
                    .as(text).isEqualTo(List.of(b.topic(), b.id(), b.key(), String.valueOf(b.subject()), String.valueOf(b.time()),
                            b.personal()));
            assertThat(new String(a.encode(NO_SEALING), StandardCharsets.UTF_8)).as(text)
                    .isEqualTo(new String(b.encode(NO_SEALING), StandardCharsets.UTF_8));
        }
        return true;
    }
}
