package io.sohbet.metrics.service;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A satisfaction score (1–5) read from a reply, and whether it counts by itself. CSAT counts only answers to a CSAT
 * question:
 * <ul>
 * <li>a tapped button or list row whose id is the survey's prefix and a digit ({@code csat_1} … {@code csat_5} with
 * the default prefix {@code csat_}, {@code sohbet.metrics.csat.answer-id-prefix}) counts whatever message it quotes
 * ({@link #byButtonId});</li>
 * <li>any other reply that reads as a score (a reply id or title that is a digit 1–5, also as {@code csat-4} or
 * {@code survey:3}; a title of one to five stars; a 👍 = 5 or 👎 = 1 reaction; a text that is just a digit 1–5 or a
 * thumb, {@link #typed}) counts only when the campaign message it is credited to (the one it quotes or reacts to, else
 * the last one sent to the person within the reply window before it) asks the CSAT question
 * ({@code campaign.message csatSurvey}): a "1" chosen from a menu is not a score.</li>
 * </ul>
 */
public record CsatAnswer(int score, boolean byButtonId) {

    private static final Pattern ID = Pattern.compile("(?i)^(?:csat|survey|score|rating)?[_\\-: ]?([1-5])$");
    private static final Pattern STARS = Pattern.compile("^(⭐|★){1,5}$");
    private static final Pattern TYPED = Pattern.compile("^\\s*([1-5])\\s*[.!]?\\s*$");

    /** The answer a tapped button, list row or reaction carries, or {@code null}. */
    public static CsatAnswer of(String answerIdPrefix, String replyId, String replyTitle, String reactionEmoji) {
        if (replyId != null && answerIdPrefix != null && !answerIdPrefix.isEmpty()) {
            String id = replyId.strip();
            if (id.length() == answerIdPrefix.length() + 1
                    && id.toLowerCase(Locale.ROOT).startsWith(answerIdPrefix.toLowerCase(Locale.ROOT))) {
                char digit = id.charAt(id.length() - 1);
                if (digit >= '1' && digit <= '5') {
                    return new CsatAnswer(digit - '0', true);
                }
            }
        }
        Integer score = score(replyId, replyTitle, reactionEmoji);
        return score == null ? null : new CsatAnswer(score, false);
    }

    /** The answer a typed text is (just a digit 1–5, or a thumb), or {@code null}; it counts only by context. */
    public static CsatAnswer typed(String text) {
        if (text == null) {
            return null;
        }
        Matcher digit = TYPED.matcher(text);
        Integer score = digit.matches() ? Integer.valueOf(digit.group(1)) : thumbs(text);
        return score == null ? null : new CsatAnswer(score, false);
    }

    /** The score a reply id, title or reaction reads as, whatever it answers, or {@code null}. */
    static Integer score(String replyId, String replyTitle, String reactionEmoji) {
        Integer fromId = digit(replyId);
        if (fromId != null) {
            return fromId;
        }
        Integer fromTitle = digit(replyTitle);
        if (fromTitle != null) {
            return fromTitle;
        }
        if (replyTitle != null && STARS.matcher(replyTitle.strip()).matches()) {
            return replyTitle.strip().codePointCount(0, replyTitle.strip().length());
        }
        return thumbs(reactionEmoji);
    }

    static Integer digit(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ID.matcher(value.strip());
        return m.matches() ? Integer.valueOf(m.group(1)) : null;
    }

    static Integer thumbs(String emoji) {
        if (emoji == null) {
            return null;
        }
        // skin-tone modifiers (U+1F3FB..U+1F3FF) do not change the answer
        String base = emoji.strip().replaceAll("[\\x{1F3FB}-\\x{1F3FF}\\x{FE0F}]", "");
        return switch (base) {
            case "👍" -> 5;
            case "👎" -> 1;
            default -> null;
        };
    }

    /** Positive answers are 4 and 5. */
    public static boolean positive(int score) {
        return score >= 4;
    }
}
