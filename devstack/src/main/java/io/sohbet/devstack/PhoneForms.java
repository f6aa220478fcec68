package io.sohbet.devstack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The forms a phone number takes where tests look for it: its digits, and the digits inside base64 as a WhatsApp
 * message id holds them ({@code wamid.HBgMOTA1MzIx…} is base64 of a record with {@code 905321…}). base64 turns
 * every 3 bytes into 4 characters, so the same digits look different depending on where they start: for each of the
 * three alignments, the characters that only the digits decide, in the standard and the URL-safe alphabet.
 */
public final class PhoneForms {

    private PhoneForms() {
    }

    /**
     * {@code digits} itself (so also every unspaced form: E.164 {@code +90…}, {@code 90…}, national {@code 0…}), the
     * spaced forms people write a Turkish number in ({@code 0532 123 45 67}, {@code 532 123 45 67},
     * {@code (532) 123 45 67}) when {@code digits} is a 10-digit national significant number, and its base64 forms
     * (each at least 8 characters long).
     */
    public static List<String> of(String digits) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(digits);
        if (digits.length() == 10) {
            String spaced = digits.substring(3, 6) + " " + digits.substring(6, 8) + " " + digits.substring(8);
            forms.add(digits.substring(0, 3) + " " + spaced);
            forms.add("(" + digits.substring(0, 3) + ") " + spaced);
        }
        forms.addAll(base64(digits));
        return new ArrayList<>(forms);
    }

    /** Only the base64 forms of {@code digits}. */
    public static List<String> base64(String digits) {
        Set<String> forms = new LinkedHashSet<>();
        byte[] number = digits.getBytes(StandardCharsets.US_ASCII);
        for (int offset = 0; offset < 3; offset++) {
            byte[] shifted = new byte[offset + number.length];
            System.arraycopy(number, 0, shifted, offset, number.length);
            String encoded = Base64.getEncoder().encodeToString(shifted);
            // character i holds bits [6i, 6i + 6); keep those that lie wholly inside the digits' bits
            int first = (offset * 8 + 5) / 6;
            int end = (offset + number.length) * 8 / 6;
            if (end - first >= 8) {
                String form = encoded.substring(first, end);
                forms.add(form);
                forms.add(form.replace('+', '-').replace('/', '_'));
            }
        }
        return new ArrayList<>(forms);
    }

    /** The forms of {@code digits} that {@code text} contains. */
    public static List<String> foundIn(String text, String digits) {
        return of(digits).stream().filter(text::contains).toList();
    }
}
