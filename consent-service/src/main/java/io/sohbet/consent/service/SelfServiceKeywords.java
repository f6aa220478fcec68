package io.sohbet.consent.service;

import io.sohbet.consent.config.ConsentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which self-service command a customer's typed message is ({@code sohbet.consent.self-service.keywords}: command →
 * Turkish and English phrases), and in which language to answer. Only the whole message counts, folded as stop words
 * are ({@link TextFolding}: case, Turkish and other accents, punctuation and one "lütfen"/"please" at either end):
 * {@code verilerimi sil}, {@code VERILERIMI SIL!} and {@code Lütfen verilerimi sil} are {@code VERİLERİMİ SİL}, but
 * {@code verilerimi silmeyin} or {@code what is my data used for} is nothing. Checked when built: every phrase folds to
 * something, no phrase belongs to two commands (or to both languages of one), and none is a stop phrase (a message is
 * either a stop or a command, never both).
 */
@ApplicationScoped
public class SelfServiceKeywords {

    /** The language an answer is written in: the language of the keyword. */
    public enum Language {
        TURKISH, ENGLISH
    }

    /** A recognised command: its name (a key of the configuration) and the language of the keyword. */
    public record Recognized(String command, Language language) {
    }

    /** One command's phrases, as configured. */
    public record Phrases(List<String> turkish, List<String> english) {
    }

    private final Map<String, Recognized> byPhrase;

    @Inject
    public SelfServiceKeywords(ConsentConfig config) {
        this(phrases(config.selfService().keywords()));
    }

    public SelfServiceKeywords(Map<String, Phrases> commands) {
        Map<String, Recognized> out = new HashMap<>();
        new TreeMap<>(commands).forEach((command, phrases) -> {
            if (phrases.turkish().isEmpty() && phrases.english().isEmpty()) {
                throw invalid(command, "has no keyword");
            }
            add(out, command, Language.TURKISH, phrases.turkish());
            add(out, command, Language.ENGLISH, phrases.english());
        });
        this.byPhrase = Map.copyOf(out);
    }

    private static void add(Map<String, Recognized> out, String command, Language language, List<String> phrases) {
        for (String phrase : phrases) {
            String folded = TextFolding.phrase(phrase);
            if (folded.isEmpty()) {
                throw invalid(command, "has a keyword without letters or digits");
            }
            if (StopWords.isStop(phrase) || StopWords.isStopLabel(phrase)) {
                throw invalid(command, "has a keyword that is a stop phrase (" + folded + "): it must stop marketing");
            }
            Recognized before = out.putIfAbsent(folded, new Recognized(command, language));
            if (before != null && !before.equals(new Recognized(command, language))) {
                throw invalid(command, "shares the keyword " + folded + " with " + before.command() + " ("
                        + before.language().name().toLowerCase() + ")");
            }
        }
    }

    private static IllegalStateException invalid(String command, String problem) {
        return new IllegalStateException("sohbet.consent.self-service.keywords." + command + " " + problem);
    }

    private static Map<String, Phrases> phrases(Map<String, ConsentConfig.SelfService.Keywords> configured) {
        Map<String, Phrases> out = new HashMap<>();
        configured.forEach((command, keywords) -> out.put(command,
                new Phrases(keywords.turkish(), keywords.english().orElse(List.of()))));
        return out;
    }

    /** The command a whole typed message is, if any. */
    public Optional<Recognized> recognize(String text) {
        return Optional.ofNullable(byPhrase.get(TextFolding.phrase(text)));
    }

    /** The commands that have keywords. */
    public java.util.Set<String> commands() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        byPhrase.values().forEach(r -> out.add(r.command()));
        return out;
    }
}
