package io.sohbet.consent.service;

import io.sohbet.consent.service.SelfServiceKeywords.Language;
import io.sohbet.consent.service.SelfServiceKeywords.Phrases;
import io.sohbet.consent.service.SelfServiceKeywords.Recognized;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelfServiceKeywordsTest {

    /** The defaults of application.properties. */
    static final SelfServiceKeywords DEFAULTS = new SelfServiceKeywords(Map.of(
            "data", new Phrases(List.of("VERİLERİM", "VERILERIM"), List.of("MY DATA")),
            "consents", new Phrases(List.of("İZİNLERİM", "IZINLERIM"), List.of("MY CONSENTS")),
            "erase", new Phrases(List.of("VERİLERİMİ SİL", "VERILERIMI SIL"), List.of("DELETE MY DATA")),
            "preferences", new Phrases(List.of("TERCİHLERİM", "TERCIHLERIM"), List.of("PREFERENCES", "MY PREFERENCES"))));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VERİLERİM|data|TURKISH",
            "verilerim|data|TURKISH",
            "Verilerim?|data|TURKISH",
            "VERILERIM|data|TURKISH",
            "verılerım|data|TURKISH",
            "  «verilerim» 🙂 |data|TURKISH",
            "lütfen verilerim|data|TURKISH",
            "My data|data|ENGLISH",
            "my   DATA please|data|ENGLISH",
            "İZİNLERİM|consents|TURKISH",
            "izinlerim|consents|TURKISH",
            "IZINLERIM!|consents|TURKISH",
            "my consents|consents|ENGLISH",
            "VERİLERİMİ SİL|erase|TURKISH",
            "verilerimi sil|erase|TURKISH",
            "Verilerimi   sil.|erase|TURKISH",
            "VERILERIMI SIL|erase|TURKISH",
            "Lütfen verilerimi silin lütfen|-|-",
            "delete my data|erase|ENGLISH",
            "DELETE-MY-DATA|erase|ENGLISH",
            "ＶＥＲＩＬＥＲＩＭ|data|TURKISH",
            "TERCİHLERİM|preferences|TURKISH",
            "tercihlerim|preferences|TURKISH",
            "TERCIHLERIM|preferences|TURKISH",
            "Preferences|preferences|ENGLISH",
            "my preferences!|preferences|ENGLISH",
            "tercihlerimi sil|-|-"})
    void theWholeMessageFoldedIsTheKeyword(String text, String command, String language) {
        if ("-".equals(command)) {
            assertThat(DEFAULTS.recognize(text)).isEmpty();
        } else {
            assertThat(DEFAULTS.recognize(text)).contains(new Recognized(command, Language.valueOf(language)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"verilerimi silmeyin", "verilerim nerede", "Verilerimi sil ama siparişimi değil",
            "what is my data used for", "delete my data please now", "VERİLERİMİ", "SİL", "izin", "DATA", "", "   ", "STOP",
            "verilerim verilerim", "V E R İ L E R İ M"})
    void aSentenceThatMerelyContainsAKeywordIsNone(String text) {
        assertThat(DEFAULTS.recognize(text)).isEmpty();
    }

    @Test
    void keywordsAreConfigurable() {
        SelfServiceKeywords custom = new SelfServiceKeywords(Map.of(
                "data", new Phrases(List.of("BİLGİLERİM"), List.of()),
                "erase", new Phrases(List.of("BENİ UNUT"), List.of("FORGET ME"))));
        assertThat(custom.recognize("bilgilerim")).contains(new Recognized("data", Language.TURKISH));
        assertThat(custom.recognize("Beni unut!")).contains(new Recognized("erase", Language.TURKISH));
        assertThat(custom.recognize("forget me")).contains(new Recognized("erase", Language.ENGLISH));
        assertThat(custom.recognize("VERİLERİM")).as("the defaults are replaced, not added to").isEmpty();
        assertThat(custom.commands()).containsExactly("data", "erase");
    }

    @Test
    void aKeywordInTwoCommandsAStopPhraseOrNothingIsRefusedAtStart() {
        assertThatThrownBy(() -> new SelfServiceKeywords(Map.of(
                "data", new Phrases(List.of("VERİLERİM"), List.of()),
                "consents", new Phrases(List.of("verilerim"), List.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shares the keyword VERILERIM");
        assertThatThrownBy(() -> new SelfServiceKeywords(Map.of("data", new Phrases(List.of("DATA"), List.of("data")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("shares the keyword DATA");
        assertThatThrownBy(() -> new SelfServiceKeywords(Map.of("erase", new Phrases(List.of("İPTAL"), List.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stop phrase");
        assertThatThrownBy(() -> new SelfServiceKeywords(Map.of("erase", new Phrases(List.of(), List.of("unsubscribe")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stop phrase");
        assertThatThrownBy(() -> new SelfServiceKeywords(Map.of("data", new Phrases(List.of("!!!"), List.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without letters or digits");
        assertThatThrownBy(() -> new SelfServiceKeywords(Map.of("data", new Phrases(List.of(), List.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no keyword");
    }
}
