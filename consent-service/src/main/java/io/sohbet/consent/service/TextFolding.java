package io.sohbet.consent.service;

import java.text.Normalizer;
import java.util.Set;

/**
 * How a customer's whole WhatsApp message is compared with a phrase (stop words, {@link StopWords}; self-service
 * keywords, {@link SelfServiceKeywords}): Unicode compatibility forms decomposed (NFKD: full-width letters, ligatures),
 * combining marks and invisible format characters dropped (accents, the dot of İ, variation selectors, zero-width
 * joiners and spaces), dotless ı made I, everything upper case, and every run of characters that are neither letters
 * nor digits one space, none kept at either end. So İ, I, ı and i are one letter, and Ç/C, Ş/S, Ğ/G, Ö/O, Ü/U likewise:
 * a Turkish phrase typed on a keyboard without Turkish letters is the same phrase.
 */
public final class TextFolding {

    private static final Set<String> POLITE = Set.of("LUTFEN", "PLEASE");

    private TextFolding() {
    }

    /** Upper-case letters and digits in words one space apart (empty for null). */
    public static String fold(String text) {
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

    /** The folded words of a whole message, without one "lütfen"/"please" at either end. */
    public static String phrase(String text) {
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
}
