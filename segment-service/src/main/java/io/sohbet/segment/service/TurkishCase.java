package io.sohbet.segment.service;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Turkish-aware case folding of the text values rules compare (city, gender, top category): {@code İstanbul},
 * {@code ISTANBUL}, {@code Istanbul}, {@code istanbul} and {@code ıstanbul} fold alike. Lower case in the Turkish locale
 * (I → ı, İ → i), then the dotless ı as i, since a shop may send Turkish names in ASCII or in upper case typed on any
 * keyboard; composed first (NFC), so that an I followed by a combining dot is an İ, and a leftover combining dot above
 * dropped. The price: two words differing only by ı and i compare equal, which for the values rules compare (place
 * names, categories, gender words) is what a marketer means.
 */
public final class TurkishCase {

    private static final Locale TURKISH = Locale.forLanguageTag("tr");

    private TurkishCase() {
    }

    /** The folded form of {@code text} (stripped), or null. */
    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        return Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(TURKISH).replace('ı', 'i').replace("\u0307", "").strip();
    }
}
