package io.sohbet.metrics.service;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads open-ended feedback without keeping it: keywords are Lucene {@link TurkishAnalyzer} stems (Turkish lower-casing
 * of İ/ı, stop words, Snowball stemming), sentiment comes from small Turkish and English lexicons with negation
 * (a negator flips the next sentiment word; Turkish negative verb forms are in the lexicon), themes from keyword
 * groups, and a reply needs urgent follow-up when it is negative and has an urgent word.
 */
public final class FeedbackAnalyzer {

    /** What one reply says, without its words. */
    public record Reading(String sentiment, int score, boolean urgent, List<String> keywords, List<String> themes) {
    }

    private static final Locale TR = Locale.forLanguageTag("tr");
    private static final Set<String> POSITIVE = Set.of("güzel", "harika", "mükemmel", "süper", "iyi", "memnun", "memnunum",
            "teşekkür", "teşekkürler", "sağol", "bayıldım", "beğendim", "hızlı", "kaliteli", "başarılı", "tavsiye", "great", "good",
            "excellent", "love", "loved", "perfect", "thanks", "thank", "happy", "fast", "amazing", "nice", "recommend");
    private static final Set<String> NEGATIVE = Set.of("kötü", "berbat", "rezalet", "rezil", "bozuk", "kırık", "geç", "gecikti",
            "yavaş", "pahalı", "sorun", "hata", "şikayet", "şikayetçiyim", "beğenmedim", "gelmedi",
            "ulaşmadı", "çalışmıyor", "iade", "eksik", "yanlış", "bad", "terrible", "awful", "broken", "late", "slow", "expensive",
            "problem", "wrong", "missing", "refund", "never", "worst", "disappointed", "damaged");
    private static final Set<String> NEGATORS = Set.of("değil", "degil", "değildi", "hiç", "not", "no", "never", "don't", "didn't", "isn't", "wasn't");
    private static final Set<String> URGENT = Set.of("acil", "hemen", "derhal", "avukat", "dava", "tüketici", "dolandırıcı",
            "dolandırıldım", "rezalet", "urgent", "asap", "immediately", "lawyer", "fraud", "scam", "police");
    private static final Map<String, Set<String>> THEMES = Map.of(
            "delivery", Set.of("kargo", "teslimat", "teslim", "gecikti", "geç", "ulaşmadı", "gelmedi", "delivery", "shipping", "late", "courier"),
            "price", Set.of("fiyat", "pahalı", "ucuz", "indirim", "kampanya", "kupon", "price", "expensive", "cheap", "discount"),
            "quality", Set.of("kalite", "kaliteli", "bozuk", "kırık", "defolu", "quality", "broken", "damaged", "defective"),
            "returns", Set.of("iade", "değişim", "geri", "refund", "return", "exchange"),
            "service", Set.of("müşteri", "hizmet", "destek", "temsilci", "ilgi", "service", "support", "agent"));

    private final Analyzer analyzer = new TurkishAnalyzer();

    public Reading read(String text) {
        String lower = text.toLowerCase(TR);
        List<String> words = new ArrayList<>();
        for (String w : lower.split("[^\\p{L}\\p{N}']+")) {
            if (!w.isBlank()) {
                words.add(w);
            }
        }
        int score = 0;
        boolean negate = false;
        boolean urgent = false;
        Set<String> themes = new LinkedHashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (NEGATORS.contains(w)) {
                negate = true;
                continue;
            }
            int polarity = POSITIVE.contains(w) ? 1 : NEGATIVE.contains(w) ? -1 : 0;
            // Turkish puts the negator after the word: "iyi değil", "memnun değilim"
            boolean negatedAfter = i + 1 < words.size() && words.get(i + 1).startsWith("değil");
            if (polarity != 0) {
                score += (negate || negatedAfter) ? -polarity : polarity;
                negate = false;
            }
            urgent |= URGENT.contains(w);
            THEMES.forEach((theme, cues) -> {
                if (cues.contains(w)) {
                    themes.add(theme);
                }
            });
        }
        String sentiment = score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
        return new Reading(sentiment, score, urgent && score < 0, keywords(text), List.copyOf(themes));
    }

    /** The distinct stems of the text, stop words removed, in order of appearance. */
    List<String> keywords(String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String stem = term.toString();
                if (stem.length() >= 3 && !stem.chars().allMatch(Character::isDigit)) {
                    out.add(stem);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }
}
