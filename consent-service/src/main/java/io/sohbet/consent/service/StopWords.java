package io.sohbet.consent.service;

import java.text.Normalizer;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Whole-message phrases that withdraw marketing consent on WhatsApp (the list and its reasons are in
 * {@code docs/stop-signals.md}). A message is compared after folding: Unicode compatibility forms (NFKD), Turkish and
 * other accents and case dropped (İ, I, ı and i are one letter; Ç/C, Ş/S, Ğ/G, Ö/O, Ü/U likewise), every run of
 * characters that are neither letters nor digits (spaces, punctuation, emoji, invisible marks) one space, and one
 * "lütfen"/"please" at either end left out. Only the whole message counts: "iptal etmeyin" or "stop by the shop
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

    private static final Set<String> POLITE = folded("LÜTFEN", "PLEASE");

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

    /** The folded words of a message, one space apart, without a polite word at either end. */
    static String phrase(String text) {
        String folded = fold(text);
        int space = folded.indexOf(' ');
        if (space > 0 && POLITE.contains(folded.substring(0, space))) {
            folded = folded.substring(space + 1);
        }
        space = folded.lastIndexOf(' ');
        if (space > 0 && POLITE.contains(folded.substring(space + 1))) {
            folded = folded.substring(0, space);
        }
        return folded;
    }

    /**
     * Upper-case ASCII-like letters and digits in words one space apart: compatibility forms decomposed (full-width
     * letters, ligatures), combining marks and invisible format characters dropped, dotless ı made I.
     */
    static String fold(String text) {
        if (text == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean gap = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT) {
                continue; // accents, the dot of İ, variation selectors, zero-width joiners and spaces
            }
            if (Character.isLetterOrDigit(cp)) {
                if (gap && !out.isEmpty()) {
                    out.append(' ');
                }
                gap = false;
                out.appendCodePoint(cp == 'ı' ? 'I' : Character.toUpperCase(cp));
            } else {
                gap = true;
            }
        }
        return out.toString();
    }

    private static Set<String> folded(String... phrases) {
        return Stream.of(phrases).map(StopWords::fold).collect(Collectors.toUnmodifiableSet());
    }
}
