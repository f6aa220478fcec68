package io.sohbet.consent.service;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whole-message phrases that withdraw marketing consent on WhatsApp (the list and its reasons are in
 * {@code docs/stop-signals.md}). A message is compared after folding ({@link TextFolding}: Unicode compatibility forms,
 * Turkish and other accents and case dropped, every run of characters that are neither letters nor digits one space),
 * and one "lütfen"/"please" at either end left out. Only the whole message counts: "iptal etmeyin" or "stop by the shop
 * tomorrow" is not a stop.
 */
public final class StopWords {

    /** Phrases that stop marketing however they arrive: typed, or as a button's or list row's label. */
    private static final Set<String> ANYWHERE = folded(
            // English: the SMS industry's standard opt-out keywords, less the generic "cancel"-type ones below
            "STOP", "STOP ALL", "STOPALL", "UNSUBSCRIBE", "OPT OUT", "OPTOUT", "REVOKE",
            // Meta's marketing opt-out button, English and Turkish labels
            "STOP PROMOTIONS", "PROMOSYONLARI DURDUR",
            // Turkish: stop, leave/remove me from the subscription, I want no messages
            "DUR", "DURDUR", "DURDURUN",
            "ABONELİKTEN ÇIK", "ABONELİKTENÇIK", "ABONELİKTEN ÇIKAR", "ABONELİKTEN ÇIKARIN", "ABONELİKTEN ÇIKMAK İSTİYORUM",
            "ABONELİĞİ İPTAL", "ABONELİĞİ İPTAL ET", "ABONELİĞİMİ İPTAL ET", "ABONELİĞİMİ İPTAL EDİN",
            "MESAJ İSTEMİYORUM", "MESAJ GÖNDERMEYİN", "MESAJ ATMAYIN", "REKLAM İSTEMİYORUM");

    /**
     * "Cancel"- and "reject"-type words (RET is İYS's own word for a rejection): a stop when the customer types them,
     * but a business also labels order, booking and approval buttons with them ("Onayla" / "Ret", "İptal"), so a tap
     * on such a label or id is not a stop (a stop button that says "İptal" needs a stop payload id).
     */
    private static final Set<String> TYPED_ONLY = folded("İPTAL", "İPTAL ET", "İPTAL EDİN", "RET", "CANCEL", "END", "QUIT");

    private StopWords() {
    }

    /** Whether a message the customer typed is, as a whole, a stop phrase. */
    public static boolean isStop(String text) {
        String phrase = repeated(phrase(text));
        return ANYWHERE.contains(phrase) || TYPED_ONLY.contains(phrase);
    }

    /**
     * One word typed several times ("STOP STOP", "iptal iptal iptal") is that word; "dur dur" stays as it is: it is how
     * Turkish says "wait, wait", not a stop.
     */
    static String repeated(String phrase) {
        String[] words = phrase.split(" ");
        if (words.length < 2 || "DUR".equals(words[0])) {
            return phrase;
        }
        for (String word : words) {
            if (!word.equals(words[0])) {
                return phrase;
            }
        }
        return words[0];
    }

    /** Whether a business-defined label or id of a tapped button or list row is a stop phrase. */
    public static boolean isStopLabel(String label) {
        return ANYWHERE.contains(phrase(label));
    }

    /** The folded words of a message, one space apart, without a polite word at either end ({@link TextFolding}). */
    static String phrase(String text) {
        return TextFolding.phrase(text);
    }

    /** A message folded as every phrase is compared ({@link TextFolding#fold}). */
    static String fold(String text) {
        return TextFolding.fold(text);
    }

    private static Set<String> folded(String... phrases) {
        return Stream.of(phrases).map(StopWords::fold).collect(Collectors.toUnmodifiableSet());
    }
}
