package io.sohbet.consent.service;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Replies that withdraw marketing consent on WhatsApp: {@code STOP}, {@code DUR}, {@code İPTAL}/{@code IPTAL},
 * {@code ABONELİKTEN ÇIK}, in any case (Turkish rules: i → İ, ı → I), with surrounding punctuation, emoji and
 * extra spaces ignored. Only the whole reply counts: "iptal etmeyin" is not a stop.
 */
public final class StopWords {

    private static final Locale TURKISH = Locale.forLanguageTag("tr");
    private static final Set<String> WORDS = Set.of("STOP", "DUR", "İPTAL", "IPTAL", "ABONELİKTEN ÇIK",
            "ABONELIKTEN ÇIK", "ABONELİKTEN CIK", "ABONELİKTEN CİK", "ABONELIKTEN CIK");

    private StopWords() {
    }

    public static boolean isStop(String reply) {
        return reply != null && WORDS.contains(normalise(reply));
    }

    static String normalise(String reply) {
        String text = Normalizer.normalize(reply, Normalizer.Form.NFC).strip();
        int start = 0;
        int end = text.length();
        while (start < end && !Character.isLetterOrDigit(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && !Character.isLetterOrDigit(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end).replaceAll("\\s+", " ").toUpperCase(TURKISH);
    }
}
