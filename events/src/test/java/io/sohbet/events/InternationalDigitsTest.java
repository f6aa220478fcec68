package io.sohbet.events;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InternationalDigits} gives parse's answer whenever it gives one: compared with {@code parse("+" + digits)},
 * {@code isValidNumber} and E.164 formatting on every example number of every region and calling code (valid and
 * invalid ones), on those numbers with their last digits changed, and on random digits after every calling code.
 */
class InternationalDigitsTest {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** What {@link SubjectIds} did before the fast way: parse, validate, format; {@code null} when not valid. */
    private static String viaParse(String digits) {
        try {
            PhoneNumber parsed = PHONES.parse("+" + digits, "TR");
            return PHONES.isValidNumber(parsed) ? PHONES.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static String digitsOf(PhoneNumber number) {
        return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
    }

    @Test
    void everyAnswerIsParsesOnExampleAndChangedNumbersOfEveryRegion() {
        List<String> samples = new ArrayList<>();
        for (String region : PHONES.getSupportedRegions()) {
            for (PhoneNumberType type : PhoneNumberType.values()) {
                PhoneNumber example = PHONES.getExampleNumberForType(region, type);
                if (example != null) {
                    samples.add(digitsOf(example));
                }
            }
            PhoneNumber invalid = PHONES.getInvalidExampleNumber(region);
            if (invalid != null) {
                samples.add(digitsOf(invalid));
            }
        }
        for (int code : PHONES.getSupportedGlobalNetworkCallingCodes()) {
            PhoneNumber example = PHONES.getExampleNumberForNonGeoEntity(code);
            if (example != null) {
                samples.add(digitsOf(example));
            }
        }
        Random random = new Random(23);
        List<String> changed = new ArrayList<>();
        for (String sample : samples) {
            for (int i = 0; i < 20; i++) {
                char[] digits = sample.toCharArray();
                for (int k = Math.max(1, digits.length - 1 - random.nextInt(4)); k < digits.length; k++) {
                    digits[k] = (char) ('0' + random.nextInt(10));
                }
                changed.add(new String(digits));
            }
        }
        samples.addAll(changed);

        int fast = 0;
        int valid = 0;
        for (String digits : samples) {
            String expected = viaParse(digits);
            String answer = InternationalDigits.e164(digits);
            if (answer != null) {
                fast++;
                assertThat(answer).as(digits).isEqualTo(expected);
            }
            if (expected != null) {
                valid++;
            }
        }
        // the fast way is the usual one, not a rarity: most valid numbers take it
        assertThat(valid).isGreaterThan(10_000);
        assertThat(fast).isGreaterThan(valid * 8 / 10);
    }

    @Test
    void everyAnswerIsParsesOnRandomDigitsAfterEveryCallingCode() {
        Random random = new Random(2026);
        Set<Integer> codes = new TreeSet<>(PHONES.getSupportedCallingCodes());
        int answered = 0;
        for (int code : codes) {
            for (int nationalLength = 1; nationalLength <= 18; nationalLength++) {
                for (int i = 0; i < 12; i++) {
                    StringBuilder digits = new StringBuilder().append(code);
                    for (int k = 0; k < nationalLength; k++) {
                        digits.append((char) ('0' + random.nextInt(10)));
                    }
                    String answer = InternationalDigits.e164(digits.toString());
                    if (answer != null) {
                        answered++;
                        assertThat(answer).as(digits.toString()).isEqualTo(viaParse(digits.toString()));
                    }
                }
            }
        }
        assertThat(answered).isGreaterThan(1_000);
    }

    @Test
    void leavesToParseWhatParseMightReadOtherwise() {
        assertThat(InternationalDigits.e164("905321234567")).isEqualTo("+905321234567");
        // Italy's leading zero; China's carrier code 11265, which parse strips (+86 351 1233); Belarus's 80, a national
        // prefix for parsing that parse leaves on this one: the fast way does not tell these apart, parse does
        assertThat(InternationalDigits.e164("390612345678")).isNull();
        assertThat(InternationalDigits.e164("86112653511233")).isNull();
        assertThat(viaParse("86112653511233")).isEqualTo("+863511233");
        assertThat(InternationalDigits.e164("375800474")).isNull();
        assertThat(viaParse("375800474")).isEqualTo("+375800474");
        // not digits, too short
        assertThat(InternationalDigits.e164("90532123456a")).isNull();
        assertThat(InternationalDigits.e164("٩٠٥٣٢١٢٣٤٥٦٧")).isNull();
        assertThat(InternationalDigits.e164("905")).isNull();
        // an unknown calling code, a number too long for its plan, a leading zero
        assertThat(InternationalDigits.e164("999123456789")).isNull();
        assertThat(InternationalDigits.e164("90532123456789012")).isNull();
        assertThat(InternationalDigits.e164("0905321234567")).isNull();
    }
}
