package io.sohbet.metrics.service;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tr.ApostropheFilter;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.tartarus.snowball.ext.TurkishStemmer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads open-ended feedback without keeping it: keywords are stems from {@link TurkishAnalyzer}'s chain (Turkish
 * lower-casing of İ/ı, stop words, Snowball stemming), except where Snowball cuts a short word down to nothing useful
 * ("ürün" → "ür", "iade" → "ia", "beden" → "be"): then the word itself is the keyword. Sentiment comes from small Turkish and English lexicons with negation
 * (a negator flips the next sentiment word; Turkish negative verb forms are in the lexicon), themes from keyword
 * groups; a word matches a lexicon or theme word when it is that word or has its stem, so inflected Turkish counts
 * ("kargom", "kargonuz" for "kargo", "harikaydı" for "harika"; Snowball misses some, such as "kargosu"), and a reply needs urgent follow-up when it is negative and has an urgent word.
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

    /**
     * Shop words the Turkish Snowball stemmer over-cuts to three letters or more in their bare form ("kupon" → "kupo",
     * "kalite" → "kali"); cuts below three letters ("ürün" → "ür") are caught for every word in {@link #keywords}.
     */
    private static final CharArraySet NOT_STEMMED = new CharArraySet(
            List.of("kupon", "para", "geri", "teslim", "kalite"), false);

    private final Analyzer analyzer = new Stems();
    /** The lexicons as stems ({@link #stem}), so that inflected forms match: "kargom", "kargonuz" → "kargo". */
    private final Set<String> positiveStems = stems(POSITIVE);
    private final Set<String> negativeStems = stems(NEGATIVE);
    private final Map<String, Set<String>> themeStems = new java.util.HashMap<>();

    public FeedbackAnalyzer() {
        THEMES.forEach((theme, cues) -> themeStems.put(theme, stems(cues)));
    }

    /**
     * {@link TurkishAnalyzer}'s chain with a {@link KeywordRepeatFilter} before the stemmer, so that every word comes
     * out as itself and as its stem at one position (and words of {@link #NOT_STEMMED} only as themselves).
     */
    private static final class Stems extends Analyzer {

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            TokenStream result = new ApostropheFilter(source);
            result = new TurkishLowerCaseFilter(result);
            result = new StopFilter(result, TurkishAnalyzer.getDefaultStopSet());
            result = new SetKeywordMarkerFilter(result, NOT_STEMMED);
            result = new KeywordRepeatFilter(result);
            result = new SnowballFilter(result, new TurkishStemmer());
            return new TokenStreamComponents(source, result);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new TurkishLowerCaseFilter(in);
        }
    }

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
            String stem = stem(w);
            int polarity = POSITIVE.contains(w) || positiveStems.contains(stem) ? 1
                    : NEGATIVE.contains(w) || negativeStems.contains(stem) ? -1 : 0;
            // Turkish puts the negator after the word: "iyi değil", "memnun değilim"
            boolean negatedAfter = i + 1 < words.size() && words.get(i + 1).startsWith("değil");
            if (polarity != 0) {
                score += (negate || negatedAfter) ? -polarity : polarity;
                negate = false;
            }
            urgent |= URGENT.contains(w);
            THEMES.forEach((theme, cues) -> {
                if (cues.contains(w) || themeStems.get(theme).contains(stem)) {
                    themes.add(theme);
                }
            });
        }
        String sentiment = score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
        return new Reading(sentiment, score, urgent && score < 0, keywords(text), List.copyOf(themes));
    }

    /**
     * The keyword of one word as {@link #keywords} reads it (Turkish lower case, Snowball stem, the word itself when
     * the stem is too short), or {@code ""} for a stop word or a word too short: inflected forms of a word share it.
     */
    String stem(String word) {
        List<String> k = keywords(word);
        return k.isEmpty() ? "" : k.get(0);
    }

    private Set<String> stems(Set<String> words) {
        Set<String> out = new java.util.HashSet<>();
        for (String w : words) {
            String stem = stem(w);
            if (!stem.isEmpty()) {
                out.add(stem);
            }
        }
        return out;
    }

    /** The distinct stems of the text, stop words removed, in order of appearance. */
    List<String> keywords(String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute position = stream.addAttribute(PositionIncrementAttribute.class);
            stream.reset();
            String word = null;
            String stem = null;
            while (stream.incrementToken()) {
                if (position.getPositionIncrement() > 0) {
                    add(out, word, stem);
                    word = term.toString();
                }
                stem = term.toString();
            }
            add(out, word, stem);
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    /** The stem, or the word when the stem is too short to mean anything; never a number. */
    private static void add(Set<String> out, String word, String stem) {
        if (word == null) {
            return;
        }
        String keyword = stem.length() >= 3 ? stem : word;
        if (keyword.length() >= 3 && !keyword.chars().allMatch(Character::isDigit)) {
            out.add(keyword);
        }
    }
}
