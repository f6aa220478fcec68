package io.sohbet.metrics.service;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a satisfaction score (1–5) from a survey reply: a quick-reply or list id such as {@code csat_4},
 * {@code csat-4} or {@code 4}, a title that is a single digit or stars, or a thumbs reaction (👍 = 5, 👎 = 1).
 * Anything else is not an answer.
 */
public final class CsatAnswer {

    private static final Pattern ID = Pattern.compile("(?i)^(?:csat|survey|score|rating)?[_\\-: ]?([1-5])$");
    private static final Pattern STARS = Pattern.compile("^(⭐|★){1,5}$");

    private CsatAnswer() {
    }

    /** The score of a reply, or {@code null}. */
    public static Integer score(String replyId, String replyTitle, String reactionEmoji) {
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
