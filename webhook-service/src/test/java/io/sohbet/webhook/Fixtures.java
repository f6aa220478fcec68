package io.sohbet.webhook;

import io.sohbet.events.MessageIds;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook payloads for tests: the project's own hand-written ones (always there) and the 88 public payloads in
 * {@code ../shared/fixtures/whatsapp} (there in CI; tests that need them are skipped with a message otherwise).
 */
public final class Fixtures {

    /**
     * What the hand-written coexistence payloads ({@code history_chat_sync.json}, {@code smb_app_state_sync_contacts.json},
     * {@code smb_message_echoes_customers.json}) say about customers, in every spelling they use: numbers (also inside
     * the wamids' base64), BSUIDs, names, contact cards, message text, places, media. None of it may reach
     * {@code wa.account}.
     */
    public static final List<String> CUSTOMER_DATA_IN_ACCOUNT_PAYLOADS = List.of("905321112233", "5321112233",
            "905447654321", "544 765 43 21", "905559876543", "555 987 65 43", "905051239876", "530 111 22 44",
            "905419998877", "HBgMOTA1MzIxMTEyMjMz", "HBgMOTA1NDQ3NjU0MzIx", "TR.1837465920183746",
            "TR.ENT.9182736450918273", "Mehmet", "Demir", "Elif", "Kaya", "Hasan", "Çelik", "hasan.celik@example.com",
            "Bağdat", "1988-04-17", "Zeynep", "Arslan", "Burak", "Öztürk", "VIP", "Kadıköy", "TR48213377", "Moda Cd",
            "siparişim 1042", "çanta", "41.0422", "29.0083", "Beşiktaş", "Sinanpaşa", "24230790383178626", "1339522734477770",
            "3f9d94d399fa61c1");

    /** The hashes the service under test gives message ids ({@code sohbet.webhook.message-id-key} of the test profile). */
    public static final MessageIds MESSAGE_IDS = MessageIds.withKey("dev-message-id-key-not-for-production");

    private Fixtures() {
    }

    public static byte[] own(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/whatsapp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared fixtures folder, or the test is skipped with the reason. */
    public static Path sharedDir() {
        Path dir = Path.of(System.getProperty("sohbet.shared", "../../shared")).resolve("fixtures/whatsapp");
        Assumptions.assumeTrue(Files.isDirectory(dir), "shared WhatsApp fixtures not found at " + dir.toAbsolutePath()
                + " (they are beside the project in CI); the project's own payloads are tested regardless");
        return dir;
    }

    /** Expected events per shared fixture: file → topic → count. */
    public static Map<String, Map<String, Integer>> expectations() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        try (InputStream in = Fixtures.class.getResourceAsStream("/whatsapp-fixture-expectations.csv")) {
            List<String> lines = new ArrayList<>(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList());
            String[] header = null;
            for (String line : lines) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (header == null) {
                    header = cells;
                    continue;
                }
                Map<String, Integer> counts = new LinkedHashMap<>();
                for (int i = 1; i < cells.length; i++) {
                    counts.put(header[i], Integer.parseInt(cells[i]));
                }
                out.put(cells[0], counts);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
